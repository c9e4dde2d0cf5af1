"""Lesson 3: what Flask puts in the session cookie, and how to read it back."""
import base64
import hashlib
import json
import zlib

from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"


@app.get("/login")
def login():
    session["user"] = "alice"
    return "logged in"


@app.get("/whoami")
def whoami():
    return session.get("user", "nobody")


@app.after_request
def add_header(response):
    # Runs after the view, before save_session: a change to session here would still be saved.
    response.headers["X-Frame-Options"] = "DENY"
    return response


def peek(cookie_value: str) -> dict:
    """Decode a Flask session cookie WITHOUT the secret key: signed is not encrypted."""
    payload = cookie_value.rsplit(".", 2)[0]     # payload.timestamp.signature
    compressed = payload.startswith(".")         # a leading dot means zlib
    if compressed:
        payload = payload[1:]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        raw = zlib.decompress(raw)
    return json.loads(raw)                        # tagged JSON, e.g. {" t": [...]} for a tuple


def signed_at(cookie_value: str) -> int:
    """The Unix time inside the cookie: the middle part, a big-endian integer in base64url."""
    stamp = cookie_value.rsplit(".", 2)[1]
    return int.from_bytes(base64.urlsafe_b64decode(stamp + "=" * (-len(stamp) % 4)), "big")


def serializer_like_flask(secret_key: str) -> URLSafeTimedSerializer:
    """The serializer SecureCookieSessionInterface builds, spelled out."""
    iface = SecureCookieSessionInterface()
    return URLSafeTimedSerializer(
        secret_key,
        salt=iface.salt,                          # "cookie-session"
        serializer=iface.serializer,              # Flask's tagged JSON
        signer_kwargs={
            "key_derivation": iface.key_derivation,   # "hmac"
            "digest_method": hashlib.sha1,
        },
    )
