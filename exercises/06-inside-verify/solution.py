import base64
import hashlib
import hmac

SALT = b"cookie-session"


def derive_key(secret_key):
    """The key Flask signs session cookies with, derived from SECRET_KEY (bytes in, bytes out)."""
    return hmac.new(secret_key, SALT, hashlib.sha1).digest()


def verify(cookie, secret_key):
    """True when the cookie's signature was made with secret_key, False otherwise. Never raises."""
    signed, sep, signature = cookie.rpartition(".")
    if not sep:
        return False
    # Everything before the last dot is signed, the leading "." of a compressed payload included.
    mac = hmac.new(derive_key(secret_key), signed.encode("ascii", "replace"), hashlib.sha1).digest()
    expected = base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(expected, signature)
