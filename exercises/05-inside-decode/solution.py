import base64
import json
import zlib


def b64url_decode(text):
    # itsdangerous strips the "=" padding; put back as many as base64 needs.
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_payload(cookie):
    """The dict inside a Flask session cookie, read with the standard library only (no signature check)."""
    compressed = cookie.startswith(".")
    if compressed:
        cookie = cookie[1:]
    payload, _timestamp, _signature = cookie.split(".")
    data = b64url_decode(payload)
    if compressed:
        data = zlib.decompress(data)
    return json.loads(data)


def decode_timestamp(cookie):
    """When the cookie was signed, in seconds since 1970 (an int)."""
    timestamp = cookie.lstrip(".").split(".")[1]
    return int.from_bytes(b64url_decode(timestamp), "big")
