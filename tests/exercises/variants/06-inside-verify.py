import base64
import hashlib
import hmac

SALT = b"cookie-session"


def derive_key(secret_key):
    mac = hmac.new(secret_key, digestmod=hashlib.sha1)
    mac.update(SALT)
    return mac.digest()


def verify(cookie, secret_key):
    if cookie.count(".") < 2:
        return False
    cut = cookie.rindex(".")
    try:
        given = base64.urlsafe_b64decode(cookie[cut + 1:] + "=" * (-len(cookie[cut + 1:]) % 4))
    except (ValueError, TypeError):
        return False
    expected = hmac.new(derive_key(secret_key), cookie[:cut].encode(), hashlib.sha1).digest()
    return hmac.compare_digest(given, expected)
