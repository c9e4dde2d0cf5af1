import base64
import json
import zlib


def decode_payload(cookie):
    """The dict inside a Flask session cookie, read with the standard library only (no signature check)."""
    payload = cookie.split(".")[0]
    return json.loads(base64.b64decode(payload))


def decode_timestamp(cookie):
    """When the cookie was signed, in seconds since 1970 (an int)."""
    return 0
