"""The neutral "wire" form of Python values, shared by the Python peers and vector generators in this folder.

tests/peers/wire.ts is the TypeScript side. The form is independent of Flask's tagged JSON, so that the thing
under test is never also the transport:

    ["none"] ["bool", b] ["int", "<decimal>"] ["float", "<repr>"] ["str", s] ["bytes", "<hex>"]
    ["list", [w...]] ["tuple", [w...]] ["dict", [[wkey, wvalue]...]] ["markup", s] ["uuid", "<32 hex>"]
    ["datetime", "<milliseconds since 1970 UTC>", <utc offset in seconds, or null for a naive datetime>]
    (with a fourth item, the microseconds below the millisecond, only when they are not zero)
    ["ext", <code>, "<hex>"] for msgspec.msgpack.Ext (only where msgspec is installed)

Text with lone surrogates goes as ["str16", "<UTF-16 code units in hex>"] (or "markup16"), because some JSON
parsers (the one Vite uses to import JSON among them) refuse lone surrogate escapes.

Import it from a script in this folder after putting the folder on sys.path (a script run as
`/usr/bin/python3 tests/peers/x.py` has it there already).
"""

import uuid
from datetime import datetime, timedelta, timezone

from markupsafe import Markup

EPOCH_NAIVE = datetime(1970, 1, 1)
EPOCH_AWARE = datetime(1970, 1, 1, tzinfo=timezone.utc)


def is_well_formed(s):
    """True when the text has no lone surrogates."""
    return not any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def utf16_hex(s):
    """Text with lone surrogates, as hex UTF-16 code units: strict JSON parsers refuse lone surrogate escapes."""
    return s.encode("utf-16-be", "surrogatepass").hex()


def to_wire(v, item=None):
    """A value on the wire. `item` encodes the items of containers (to_wire itself unless given), so a caller
    can put shorter forms of its own in front of these. Raises TypeError for a type the wire has no form for."""
    item = item or to_wire
    if v is None:
        return ["none"]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", repr(v)]
    if isinstance(v, Markup):
        return ["markup", str(v)] if is_well_formed(v) else ["markup16", utf16_hex(v)]
    if isinstance(v, str):
        return ["str", v] if is_well_formed(v) else ["str16", utf16_hex(v)]
    if isinstance(v, bytes):
        return ["bytes", v.hex()]
    if isinstance(v, tuple):
        return ["tuple", [item(x) for x in v]]
    if isinstance(v, list):
        return ["list", [item(x) for x in v]]
    if isinstance(v, dict):
        return ["dict", [[item(k), item(x)] for k, x in v.items()]]
    if isinstance(v, uuid.UUID):
        return ["uuid", v.hex]
    if isinstance(v, datetime):
        if v.tzinfo is None:
            delta, offset = v - EPOCH_NAIVE, None
        else:
            delta, offset = v - EPOCH_AWARE, int(v.utcoffset().total_seconds())
        ms = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
        micro = delta.microseconds % 1000
        return ["datetime", str(ms), offset] + ([micro] if micro else [])
    if type(v).__name__ == "Ext" and type(v).__module__.startswith("msgspec"):
        return ["ext", v.code, bytes(v.data).hex()]
    raise TypeError(f"no wire form for {type(v).__name__}")


def from_wire(w):
    """The Python value of a wire form. Raises ValueError for an unknown kind."""
    kind = w[0]
    if kind == "none":
        return None
    if kind == "bool":
        return bool(w[1])
    if kind == "int":
        return int(w[1])
    if kind == "float":
        return float(w[1])
    if kind == "str":
        return w[1]
    if kind == "str16":
        return bytes.fromhex(w[1]).decode("utf-16-be", "surrogatepass")
    if kind == "markup":
        return Markup(w[1])
    if kind == "markup16":
        return Markup(bytes.fromhex(w[1]).decode("utf-16-be", "surrogatepass"))
    if kind == "bytes":
        return bytes.fromhex(w[1])
    if kind == "list":
        return [from_wire(x) for x in w[1]]
    if kind == "tuple":
        return tuple(from_wire(x) for x in w[1])
    if kind == "dict":
        return {from_wire(k): from_wire(v) for k, v in w[1]}
    if kind == "uuid":
        return uuid.UUID(hex=w[1])
    if kind == "datetime":
        delta = timedelta(milliseconds=int(w[1]), microseconds=w[3] if len(w) > 3 else 0)
        if w[2] is None:
            return EPOCH_NAIVE + delta
        return (EPOCH_AWARE + delta).astimezone(timezone(timedelta(seconds=int(w[2]))))
    if kind == "ext":
        import msgspec

        return msgspec.msgpack.Ext(int(w[1]), bytes.fromhex(w[2]))
    raise ValueError(f"unknown wire kind {kind!r}")
