"""Lesson 4: why a guessable SECRET_KEY is no key at all.

Anyone holding one session cookie can test candidate keys offline, as fast as their
machine computes HMAC-SHA1, without sending a single request to the server.
"""
import hashlib

from flask.sessions import session_json_serializer
from itsdangerous import BadSignature, URLSafeTimedSerializer


def flask_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret_key,
        salt="cookie-session",
        serializer=session_json_serializer,
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )


def crack(cookie_value: str, candidates):
    """Return the first candidate key whose signature matches the cookie, or None."""
    for candidate in candidates:
        try:
            flask_serializer(candidate).loads(cookie_value)
        except BadSignature:
            continue
        return candidate
    return None


def forge(secret_key: str, data: dict) -> str:
    """With the key in hand, the attacker signs any session they like."""
    return flask_serializer(secret_key).dumps(data)
