from flask import Flask
from flask.sessions import SecureCookieSessionInterface


def crack(cookie, wordlist):
    """The word of wordlist that signed this session cookie, or None."""
    return None


def forge(secret_key, data):
    """A session cookie holding data, signed with secret_key as Flask signs it."""
    return ""
