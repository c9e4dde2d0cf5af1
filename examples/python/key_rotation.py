"""Lesson 4: rotating SECRET_KEY without logging everybody out."""
import hashlib

import flask
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

app = Flask(__name__)
app.config["SECRET_KEY"] = "key-2025-b"                 # signs every new cookie
app.config["SECRET_KEY_FALLBACKS"] = ["key-2025-a"]     # still accepted when reading (Flask 3.1+)


class FallbackKeysInterface(SecureCookieSessionInterface):
    """What Flask 3.1 does with SECRET_KEY_FALLBACKS, for older Flask versions."""

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        # itsdangerous takes a list ordered oldest to newest: it signs with the
        # last one and verifies against each of them, newest first.
        keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or []), app.secret_key]
        return URLSafeTimedSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": hashlib.sha1},
        )


if tuple(int(p) for p in flask.__version__.split(".")[:2]) < (3, 1):
    app.session_interface = FallbackKeysInterface()


@app.get("/whoami")
def whoami():
    return session.get("user", "nobody")


@app.get("/visit")
def visit():
    # A write: the session is saved, so the cookie is signed again, with SECRET_KEY.
    session["visits"] = session.get("visits", 0) + 1
    return f"{session.get('user', 'nobody')}, visit {session['visits']}"
