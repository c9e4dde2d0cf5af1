import base64
import json
import zlib


def decode_payload(cookie):
    is_compressed = cookie[:1] == "."
    parts = cookie.lstrip(".").split(".")
    if len(parts) != 3:
        raise ValueError("not a session cookie")
    raw = base64.urlsafe_b64decode(parts[0] + "=" * ((4 - len(parts[0]) % 4) % 4))
    return json.loads(zlib.decompress(raw) if is_compressed else raw)


def decode_timestamp(cookie):
    part = cookie.lstrip(".").split(".")[-2]
    value = 0
    for byte in base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)):
        value = value * 256 + byte
    return value
