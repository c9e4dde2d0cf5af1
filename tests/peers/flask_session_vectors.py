#!/usr/bin/python3
"""Writes the Flask-Session vector files from the real thing, under either judge:

- tests/vectors/flask_session.json under Debian 12 (Python 3.11, pickle, python3-msgpack, itsdangerous 2.1.2,
  Flask 2.2.2, Flask-Session 0.3.2). Run: /usr/bin/python3 tests/peers/flask_session_vectors.py
- tests/vectors/flask_session_msgspec.json under Debian 13 (msgspec 0.19 and Flask-Session 0.8.0's own
  MsgSpecSerializer), when this interpreter has Flask-Session 0.8. Run under Debian 12 without arguments (as
  `npm run vectors` does), the script also runs itself in Debian 13's root ($FLASK_SESSION_LAB_TRIXIE or
  /var/cache/flask-session-lab/trixie, built by scripts/peers.sh; chroot needs root) to write this second file.

Values travel to TypeScript in the wire form of tests/peers/wire.py (["none"], ["bool", b], ["int", "decimal"],
["float", "repr"], ["str", s], ["bytes", "hex"], ["list", [...]], ["tuple", [...]], ["dict", [[k, v], ...]]) and, to
keep the file small, ["strrep", ch, n] (ch * n), ["bytesrep", "hh", n], ["range", n] (list(range(n))), ["fmtlist", prefix, width, n]
([prefix + zero-padded i]), ["fmtdict", prefix, width, n, value] ({prefix + zero-padded i: value}).
Pickles longer than 8 KiB are given by length and SHA-256 instead of hex.
"""
import hashlib
import datetime
import io
import json
import os
import pickle
import pickletools
import sys
import uuid

import msgpack
from itsdangerous import Signer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire import to_wire  # noqa: E402

# An optional first argument writes elsewhere (the conformance test regenerates into a temp file and compares).
try:
    import msgspec  # noqa: F401  (only Debian 13's root has it, with Flask-Session 0.8.0)

    MODERN = True
except ImportError:
    MODERN = False
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "flask_session_msgspec.json" if MODERN else "flask_session.json")


def enc(v):
    if isinstance(v, str) and len(v) > 300 and v == v[0] * len(v):
        return ["strrep", v[0], len(v)]
    if isinstance(v, bytes) and len(v) > 300 and v == v[:1] * len(v):
        return ["bytesrep", v[:1].hex(), len(v)]
    if isinstance(v, list) and len(v) > 100 and v == list(range(len(v))):
        return ["range", len(v)]
    if isinstance(v, list) and len(v) > 100 and all(isinstance(x, str) for x in v):
        prefix, width = v[0][:1], len(v[0]) - 1
        if v == [prefix + str(i).zfill(width) for i in range(len(v))]:
            return ["fmtlist", prefix, width, len(v)]
    if isinstance(v, dict) and len(v) > 100 and all(isinstance(k, str) for k in v):
        first = next(iter(v))
        prefix, width = first.rstrip("0123456789"), len(first) - len(first.rstrip("0123456789"))
        same = list(v.values())[0]
        if list(v.items()) == [(prefix + str(i).zfill(width), same) for i in range(len(v))]:
            return ["fmtdict", prefix, width, len(v), enc(same)]
    return to_wire(v, enc)


def fresh(v):
    """A deep copy whose strings are all distinct objects, so pickle never emits BINGET for them."""
    if isinstance(v, str):
        return str(bytearray(v, "utf-8"), "utf-8")  # a new object (CPython still shares "" and 1-char latin-1 strings)
    if isinstance(v, bytes):
        return bytes(bytearray(v))
    if isinstance(v, list):
        return [fresh(x) for x in v]
    if isinstance(v, tuple):
        return tuple(fresh(x) for x in v)
    if isinstance(v, dict):
        return {fresh(k): fresh(x) for k, x in v.items()}
    return v


def packed(data):
    if len(data) > 8192:
        return {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"hex": data.hex()}


def has_memo_get(data):
    return any(op.name in ("BINGET", "LONG_BINGET", "GET") for op, _, _ in pickletools.genops(data))


# Session-shaped values, each free of repeated objects once passed through fresh().
VALUES = {
    "session dict": {"a": 1, "name": "x", "_permanent": True},
    "0.3.2 new session": {"_permanent": True, "name": "x", "a": 1},
    "empty dict": {},
    "none": None,
    "bools": {"t": True, "f": False},
    "small ints": [0, 1, 127, 128, 255, 256, 65535, 65536, -1, -128, -129, -32768, -32769],
    "int32 edges": [2**31 - 1, -(2**31), 2**31, -(2**31) - 1],
    "long1": [2**63, -(2**63), 2**64, 10**20, -(10**20), 2**255, -(2**255) + 1, 0xFF << 64, -(0x80 << 64)],
    "long4": [2**2100, -(2**2100) - 12345],
    "floats": [0.0, -0.0, 1.5, 2.0, 1e16, 1e-7, 0.1, -3.25, 1e308, 5e-324, float("inf"), float("-inf")],
    "strings": ["", "a", "José ☃ 𝄞", "x" * 255, "y" * 256, "line\nbreak\t\\\"'"],
    "bytes": [b"", b"\x00\xff", b"b" * 255, b"c" * 256],
    "tuples": [(), (1,), (1, "two"), (1, 2, 3), (1, 2, 3, 4), ((1,), ())],
    "flash messages": {"_flashes": [("message", "Saved!"), ("error", "Nope")]},
    "nested": {"user": {"id": 42, "roles": ["admin", "dev"], "prefs": {"theme": "dark"}}, "cart": [[1, 2], [3]]},
    "int keys": {1: "one", 2: "two", -5: "minus five"},
    "mixed keys": {None: 1, True: 2, 1.5: 3, "s": 4},
    "batch 1000": list(range(1000)),
    "batch 1001": list(range(1001)),
    "batch 2500": list(range(2500)),
    "dict 1000 (C pickler adds an empty MARK SETITEMS)": {"k%d" % i: i for i in range(1000)},
    "dict 1001": {"k%d" % i: i for i in range(1001)},
    "big str 70000": "z" * 70000,
    "big bytes 70000": b"q" * 70000,
    "many small strings": ["s%05d" % i for i in range(12000)],
    "frame boundary dict": {"key%06d" % i: "v" * 40 for i in range(3000)},
}


def pickle_vectors():
    out = []
    for name, value in VALUES.items():
        big = name in ("big str 70000", "big bytes 70000", "many small strings", "frame boundary dict", "batch 2500", "dict 1001")
        for proto in ((4, 5) if big else (2, 3, 4, 5)):
            v = fresh(value)
            try:
                data = pickle.dumps(v, protocol=proto)
            except Exception as e:  # pragma: no cover
                print("skip", name, proto, e, file=sys.stderr)
                continue
            uses_global = any(op.name in ("GLOBAL", "STACK_GLOBAL") for op, _, _ in pickletools.genops(data))
            out.append(
                {
                    "name": name,
                    "protocol": proto,
                    "value": enc(v),
                    **packed(data),
                    # Protocol 2 writes bytes through codecs.encode (a GLOBAL): only protocol >= 3 is byte-comparable then.
                    "writable": not uses_global and not has_memo_get(data),
                    "loads": not uses_global,
                }
            )
    return out


def shared_object_vectors():
    """Pickles Python writes with BINGET (repeated objects): the reader must load them; the writer cannot match."""
    shared = [1, 2]
    cases = {
        "interned literal twice": {"s": "x", "same": "x"},
        "shared list": {"a": shared, "b": shared},
        "same tuple twice": [("m", "hi")] * 2,
        "300 repeats (LONG_BINGET)": [str(i) for i in range(300)] + ["0"] * 0,
    }
    # Force LONG_BINGET: more than 256 memo entries, then a reference back to an early one.
    first = "first-string"
    many = [first] + ["item%d" % i for i in range(300)] + [first]
    cases["long binget"] = many
    out = []
    for name, v in cases.items():
        for proto in (2, 4):
            data = pickle.dumps(v, protocol=proto)
            out.append({"name": name, "protocol": proto, "value": enc(v), **packed(data), "hasGet": has_memo_get(data)})
    return out


def text_protocol_vectors():
    """Protocols 0 and 1 (Python 2 era, and Flask-Session's memcached backend): the reader must load them."""
    out = []
    for name in ("session dict", "bools", "small ints", "int32 edges", "long1", "strings", "tuples", "flash messages", "nested", "int keys"):
        for proto in (0, 1):
            v = fresh(VALUES[name])
            out.append({"name": name, "protocol": proto, "value": enc(v), "hex": pickle.dumps(v, protocol=proto).hex()})
    # Python 2's cPickle wrote str as STRING ('S') with a quoted literal; Python 3 reads it back as ASCII text.
    out.append({"name": "py2 STRING", "protocol": 0, "value": enc({"u": "alice", "q": "it's \"q\"\n"}), "hex": b"(dp0\nS'u'\np1\nS'alice'\np2\nsS'q'\np3\nS'it\\'s \"q\"\\n'\np4\ns.".hex()})
    for p in out[-1:]:
        assert pickle.loads(bytes.fromhex(p["hex"])) == {"u": "alice", "q": "it's \"q\"\n"}
    out.append({"name": "py2 floats", "protocol": 0, "value": enc([1.5, 1e100, -0.0]), "hex": pickle.dumps([1.5, 1e100, -0.0], protocol=0).hex()})
    return out


UNSAFE = {"GLOBAL", "STACK_GLOBAL", "REDUCE", "NEWOBJ", "NEWOBJ_EX", "BUILD", "INST", "OBJ", "EXT1", "EXT2", "EXT4", "PERSID", "BINPERSID", "NEXT_BUFFER", "READONLY_BUFFER"}


class Point:
    def __init__(self):
        self.x = 1


class Evil:
    def __reduce__(self):
        return (print, ("MARKER",))


def unsafe_vectors():
    samples = {
        "print payload (protocol 0)": b"cbuiltins\nprint\n(S'MARKER'\ntR.",
        "os.system via __reduce__, protocol 4": pickle.dumps({"user": "x", "evil": Evil()}, protocol=4),
        "os.system via __reduce__, protocol 2": pickle.dumps(Evil(), protocol=2),
        "class instance, protocol 4 (STACK_GLOBAL, NEWOBJ, BUILD)": pickle.dumps({"p": Point()}, protocol=4),
        "class instance, protocol 0 (INST)": pickle.dumps(Point(), protocol=0),
        "datetime in session": pickle.dumps({"at": datetime.datetime(2024, 1, 2, 3, 4, 5)}, protocol=4),
        "uuid in session": pickle.dumps({"id": uuid.UUID(int=1)}, protocol=4),
        "bytes under protocol 2 (codecs.encode)": pickle.dumps({"b": b"\x00\x01"}, protocol=2),
        "persistent id": b"\x80\x04Pabc\n.",
        "ext1": b"\x80\x02\x82\x01.",
    }
    out = []
    for name, data in samples.items():
        first = None
        for op, arg, pos in pickletools.genops(io.BytesIO(data)):
            if op.name in UNSAFE:
                first = (op.name, pos)
                break
        assert first, name
        out.append({"name": name, "hex": data.hex(), "opcode": first[0], "offset": first[1]})
    return out


def msgpack_vectors():
    names = ("session dict", "0.3.2 new session", "empty dict", "none", "bools", "small ints", "int32 edges", "strings", "bytes", "tuples", "flash messages", "nested", "int keys", "batch 1000", "big str 70000", "big bytes 70000", "dict 1001")
    out = []
    for name in names:
        v = VALUES[name]
        out.append({"name": name, "value": enc(v), **packed(msgpack.packb(v, use_bin_type=True))})
    extra = {
        "uint64 edges": [2**32 - 1, 2**32, 2**63, 2**64 - 1, -(2**63)],
        "floats always float64": [0.0, -0.0, 1.5, 2.0, 1e16, 1e-7, 1e308],
        "str 31/32, 255/256, 65535/65536": ["a" * 31, "a" * 32, "b" * 255, "b" * 256, "c" * 65535, "d" * 65536],
        "array 15/16": [list(range(15)), list(range(16))],
        "map 15/16": [{str(i): i for i in range(15)}, {str(i): i for i in range(16)}],
        "array 65536": list(range(65536)),
    }
    for name, v in extra.items():
        out.append({"name": name, "value": enc(v), **packed(msgpack.packb(v, use_bin_type=True))})
    return out


def signer_vectors():
    out = []
    for key in ("dev", "suijksdfsd", "A0Zr98j/3yX R~XHH!jmN]LWX/,?RT"):
        for sid in ("12345678-1234-5678-1234-567812345678", "SIGNEDSID", "kG7rZ0B8a9mQmS3c0yX8Jt8fQ0w2m9nYcJp3Zk1xVtE", "é"):
            s = Signer(key, salt="flask-session", key_derivation="hmac")
            out.append({"key": key, "sid": sid, "signed": s.sign(sid.encode()).decode()})
    return out


def transcript_032():
    """Requests through Flask 2.2.2 + Flask-Session 0.3.2 with a recording fake Redis and fixed ids and clock."""
    import warnings

    warnings.simplefilter("ignore")
    import flask.sessions as fs
    import flask_session.sessions as fss
    from flask import Flask, session
    from flask_session import RedisSessionInterface

    class FixedDT(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)

        @classmethod
        def utcnow(cls):
            return datetime.datetime(2023, 11, 14, 22, 13, 20)

    fs.datetime = FixedDT
    ids = iter(uuid.UUID(int=i + 1) for i in range(100))
    fss.uuid4 = lambda: next(ids)

    class FakeRedis:
        def __init__(self):
            self.data = {}
            self.log = []

        def get(self, name):
            self.log.append(["GET", name])
            return self.data.get(name)

        def setex(self, name, time, value):
            self.log.append(["SETEX", name, int(time), value.hex()])
            self.data[name] = value

        def delete(self, name):
            self.log.append(["DEL", name])
            self.data.pop(name, None)

    steps = []
    for use_signer in (False, True):
        r = FakeRedis()
        app = Flask(__name__)
        app.secret_key = "dev"
        app.session_interface = RedisSessionInterface(r, "session:", use_signer=use_signer)

        @app.route("/set")
        def set_():
            session["name"] = "x"
            session["a"] = 1
            return "ok"

        @app.route("/read")
        def read():
            return str(session.get("name"))

        @app.route("/nothing")
        def nothing():
            return "n"

        @app.route("/clear")
        def clear():
            session.clear()
            return "c"

        c = app.test_client(use_cookies=False)
        script = [("/nothing", None), ("/set", None), ("/read", "KEEP"), ("/read", "tampered"), ("/clear", "KEEP")]
        cookie = None
        for path, send in script:
            r.log.clear()
            headers = {}
            value = cookie if send == "KEEP" else send
            if value:
                headers["Cookie"] = "session=" + value
            resp = c.get(path, headers=headers)
            set_cookies = resp.headers.getlist("Set-Cookie")
            if set_cookies and send in (None, "KEEP"):
                v = set_cookies[0].split(";")[0].split("=", 1)[1]
                if v:
                    cookie = v
            steps.append(
                {
                    "useSigner": use_signer,
                    "path": path,
                    "cookieSent": value,
                    "body": resp.get_data(as_text=True),
                    "commands": list(r.log),
                    "setCookie": set_cookies,
                    "vary": resp.headers.get("Vary"),
                }
            )
    return steps


def msgspec_vectors():
    """What msgspec 0.19 and Flask-Session 0.8.0's MsgSpecSerializer write and read."""
    import decimal
    import enum

    import msgspec
    from flask import Flask
    from flask_session.base import MsgSpecSerializer
    from markupsafe import Markup

    utc = datetime.timezone.utc
    app = Flask(__name__)
    app.logger.disabled = True  # the serializer logs each value it cannot decode; the vectors record the errors
    ser = {f: MsgSpecSerializer(app=app, format=f) for f in ("msgpack", "json")}

    # Values the engine's value model holds: written by both sides, byte for byte.
    typed = {
        "aware datetime, whole seconds (timestamp 32)": datetime.datetime(2024, 1, 1, tzinfo=utc),
        "aware datetime, milliseconds (timestamp 64)": datetime.datetime(2024, 1, 1, 0, 0, 0, 123000, tzinfo=utc),
        "aware datetime, microseconds (timestamp 64)": datetime.datetime(2024, 1, 1, 0, 0, 0, 123456, tzinfo=utc),
        "aware datetime, 1 microsecond": datetime.datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=utc),
        "aware datetime at the epoch": datetime.datetime(1970, 1, 1, tzinfo=utc),
        "aware datetime 2106 (past 32-bit seconds)": datetime.datetime(2106, 2, 7, 6, 28, 16, tzinfo=utc),
        "aware datetime 2514 (past 34-bit seconds, timestamp 96)": datetime.datetime(2514, 5, 30, 1, 53, 4, tzinfo=utc),
        "aware datetime before 1970 (timestamp 96)": datetime.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=utc),
        "aware datetime year 1": datetime.datetime(1, 1, 1, tzinfo=utc),
        "aware datetime year 9999": datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=utc),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "markup": Markup("<b>bold</b>"),
        "markup in a list": ["a", Markup("<b>")],
        "flash messages": {"_flashes": [("message", "Saved!"), ("error", "Nope")]},
        "tuples": [(), (1,), (1, "two"), ((1,), ())],
        "floats": [0.0, -0.0, 1.5, 2.0, 1e16, 1e-7, 0.1, -3.25, 1e308, 5e-324, float("inf"), float("-inf")],
        "uint64 edges": [2**32 - 1, 2**32, 2**63, 2**64 - 1, -(2**63)],
        "bytes": [b"", b"\x00\xff", b"b" * 255, b"c" * 256],
        "strings": ["", "a", "José ☃ 𝄞", "x" * 31, "x" * 32, "line\nbreak\t\\\"'"],
        "int keys": {1: "one", 2: "two", -5: "minus five"},
        "mixed keys": {None: 1, True: 2, 1.5: 3, "s": 4},
        "nested": {"user": {"id": 42, "roles": ["admin", "dev"], "at": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=utc)}, "cart": [[1, 2], [3]]},
        "ext 5": msgspec.msgpack.Ext(5, b"\x01"),
        "ext 0, 3 bytes": msgspec.msgpack.Ext(0, b"abc"),
        "ext -2, 16 bytes": msgspec.msgpack.Ext(-2, bytes(range(16))),
        "new session, 0.8": {"_permanent": True, "name": "x", "a": 1},
    }
    msgpack_typed = []
    for name, v in typed.items():
        try:
            data = msgspec.msgpack.encode(v)
        except Exception as e:  # msgspec refuses some values a Flask session can hold (Markup, a str subclass)
            msgpack_typed.append({"name": name, "value": enc(v), "error": type(e).__name__, "message": str(e)})
            continue
        msgpack_typed.append({"name": name, "value": enc(v), "hex": data.hex(), "decoded": enc(msgspec.msgpack.decode(data))})

    class Color(enum.Enum):
        RED = "red"

    class Level(enum.IntEnum):
        HIGH = 3

    # Values only Python can put in a session: msgspec writes them as str or array, so they come back as such.
    python_only = {
        "naive datetime": datetime.datetime(2024, 1, 1),
        "naive datetime, microseconds": datetime.datetime(2024, 1, 1, 1, 2, 3, 4),
        "aware datetime +05:30 (stored as its UTC instant)": datetime.datetime(2024, 1, 1, 5, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
        "date": datetime.date(2024, 1, 1),
        "time": datetime.time(1, 2, 3),
        "time, microseconds": datetime.time(1, 2, 3, 5),
        "aware time": datetime.time(1, 2, 3, tzinfo=utc),
        "timedelta": datetime.timedelta(days=1, seconds=2, microseconds=3),
        "negative timedelta": datetime.timedelta(seconds=-1),
        "Decimal": decimal.Decimal("1.10"),
        "Decimal NaN": decimal.Decimal("NaN"),
        "set": {1, 2, 3},
        "frozenset": frozenset(["a"]),
        "bytearray": bytearray(b"ab"),
        "memoryview": memoryview(b"ab"),
        "Enum": Color.RED,
        "IntEnum": Level.HIGH,
        "tuple as dict key": {(1, 2): "t"},
    }
    msgpack_python_only = []
    for name, v in python_only.items():
        data = msgspec.msgpack.encode({"v": v})
        try:
            decoded = enc(msgspec.msgpack.decode(data))
        except TypeError as e:
            decoded = ["error", type(e).__name__, str(e)]
        msgpack_python_only.append({"name": name, "type": type(v).__name__, "hex": data.hex(), "decoded": decoded})

    def ts64(ns, s):
        return "d7ff" + ((ns << 34) | s).to_bytes(8, "big").hex()

    def ts96(ns, s):
        return "c70cff" + ns.to_bytes(4, "big").hex() + s.to_bytes(8, "big", signed=True).hex()

    # Bytes another writer may have stored: what msgspec's decoder makes of them, or which error it raises.
    decode_cases = {
        "timestamp 32": "d6ff00000001",
        "timestamp 64, 1500 ns rounds up to 2 us": ts64(1500, 1),
        "timestamp 64, 499 ns rounds down": ts64(499, 1),
        "timestamp 64, 2500 ns rounds half up": ts64(2500, 1),
        "timestamp 64, 999999500 ns carries into the second": ts64(999999500, 1),
        "timestamp 64, nanoseconds out of range": ts64(10**9, 1),
        "timestamp 96, negative seconds with nanoseconds": ts96(2500, -1),
        "timestamp 96, nanoseconds out of range": ts96(10**9, 1),
        "timestamp 96, year 0": ts96(0, -62135596801),
        "timestamp 96, year 10000": ts96(0, 253402300800),
        "timestamp in ext 8": "c704ff00000001",
        "timestamp in ext 16": "c80004ff00000001",
        "timestamp in ext 32": "c900000004ff00000001",
        "timestamp of 3 bytes": "c703ff000000",
        "timestamp of 1 byte": "d4ff00",
        "timestamp of 16 bytes": "d8ff" + "00" * 16,
        "ext 5, 1 byte": "d40501",
        "ext -2 in ext 8": "c702fe0102",
        "ext in a map": "81a161d50001ff",
        "float32": "ca3fc00000",
        "array as map key": "8192010201",
        "map as map key": "8181a16101a162",
        "bin as map key": "81c4017801",
        "truncated timestamp": "d6ff0000",
    }
    msgpack_decode = []
    for name, h in decode_cases.items():
        try:
            result = {"decoded": enc(msgspec.msgpack.decode(bytes.fromhex(h)))}
        except Exception as e:
            result = {"error": type(e).__name__, "decodeError": isinstance(e, msgspec.DecodeError), "message": str(e)}
        msgpack_decode.append({"name": name, "hex": h, **result})

    json_values = {
        "floats": [1, 1.0, 1e15, 1e16, 1e-7, 1.5e-7, 0.0001, 0.00001, 0.000001, 123.456, -0.0, float("nan"), float("inf"), 1.7976931348623157e308, 5e-324, 12345678901234567.0, 0.1, 1e21],
        "strings": ["José ☃ 𝄞", "a\"b\\c\n\t\x01\x1f\x7f"],
        "int keys, bytes, tuples": {1: "one", "b": b"\x00\xff", "t": (1, "x")},
        "new session, 0.8": {"_permanent": True, "name": "x", "a": 1},
        "aware datetimes": [datetime.datetime(2024, 1, 1, tzinfo=utc), datetime.datetime(2024, 1, 1, 0, 0, 0, 120000, tzinfo=utc), datetime.datetime(2024, 1, 1, 0, 0, 0, 123, tzinfo=utc), datetime.datetime(1, 1, 1, tzinfo=utc)],
        "uuid": [uuid.UUID(int=1)],
        "markup": [Markup("<i>")],
    }
    json_out = []
    for name, v in json_values.items():
        try:
            json_out.append({"name": name, "value": enc(v), "text": msgspec.json.encode(v).decode()})
        except Exception as e:
            json_out.append({"name": name, "value": enc(v), "error": type(e).__name__, "message": str(e)})
    json_decode = []
    for text in ['{"a":1,"b":1.0,"c":1e2,"d":123456789012345678901}', "", "{", '{"a":1}x', "NaN", "[1,]", '{"a" 1}', '"\u0001"', "{'a':1}", "01", '"2024-01-01T00:00:00Z"']:
        try:
            json_decode.append({"text": text, "decoded": enc(msgspec.json.decode(text.encode()))})
        except msgspec.DecodeError as e:
            json_decode.append({"text": text, "error": type(e).__name__})

    # Flask-Session 0.8.0's serializer: the configured format, then the other, then pickle.
    legacy_pickle = pickle.dumps({"_permanent": True, "name": "x", "a": 1}, protocol=4)
    stored = {
        "json text": b'{"j":1}',
        "msgpack": msgspec.msgpack.encode({"_permanent": True, "name": "x", "a": 1}),
        "0.3.2 pickle": legacy_pickle,
        "msgpack with a datetime": msgspec.msgpack.encode({"at": datetime.datetime(2024, 1, 1, tzinfo=utc)}),
        "garbage": b"\xff\xff",
    }
    serializer = []
    for fmt, s in ser.items():
        for name, data in stored.items():
            try:
                d = s.decode(data)
                serializer.append({"format": fmt, "name": name, "stored": data.hex(), "decoded": enc(d), "reencoded": s.encode(d).hex()})
            except Exception as e:
                serializer.append({"format": fmt, "name": name, "stored": data.hex(), "error": type(e).__name__, "message": str(e)})
    return {
        "transcript08": transcript_08(),
        "msgpack": msgpack_typed,
        "msgpackPythonOnly": msgpack_python_only,
        "msgpackDecode": msgpack_decode,
        "json": json_out,
        "jsonDecode": json_decode,
        "serializer": serializer,
    }


def transcript_08():
    """Requests through Flask 3.1.1 + Flask-Session 0.8.0 with a recording fake Redis, fixed ids and a fixed clock,
    under several configurations. Ids: secrets.token_bytes(n) gives bytes (c + i) & 0xFF for i < n, c counting
    calls from 1 (the engine tests' counterBytes)."""
    import secrets
    import warnings

    import flask.sessions as fs
    import redis
    from flask import Flask, session
    from flask_session import Session

    warnings.simplefilter("ignore")

    class FixedDT(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)

    fs.datetime = FixedDT

    class FakeRedis(redis.Redis):
        def __init__(self):  # never connects
            self.data = {}
            self.log = []

        def get(self, name):
            self.log.append(["GET", name])
            return self.data.get(name)

        def set(self, name, value, ex=None, **kw):
            self.log.append(["SET", name, ex, value.hex()])
            self.data[name] = value

        def delete(self, *names):
            self.log.append(["DEL", *names])
            for n in names:
                self.data.pop(n, None)

    configs = {
        "defaults": {},
        "SESSION_USE_SIGNER": {"SESSION_USE_SIGNER": True},
        "SESSION_PERMANENT=False": {"SESSION_PERMANENT": False},
        "SESSION_ID_LENGTH=16, SESSION_KEY_PREFIX=app:": {"SESSION_ID_LENGTH": 16, "SESSION_KEY_PREFIX": "app:"},
        "SESSION_REFRESH_EACH_REQUEST=False": {"SESSION_REFRESH_EACH_REQUEST": False},
        "SESSION_SERIALIZATION_FORMAT=json": {"SESSION_SERIALIZATION_FORMAT": "json"},
        "PERMANENT_SESSION_LIFETIME=90": {"PERMANENT_SESSION_LIFETIME": 90},
        # Flask-Session tests these with `if use_signer:` and `if permanent:`: Python's truthiness.
        "SESSION_USE_SIGNER=[], SESSION_PERMANENT=''": {"SESSION_USE_SIGNER": [], "SESSION_PERMANENT": ""},
        "SESSION_USE_SIGNER='no', SESSION_PERMANENT=[0]": {"SESSION_USE_SIGNER": "no", "SESSION_PERMANENT": [0]},
    }
    out = []
    for name, config in configs.items():
        counter = iter(range(1, 10**6))

        def token_bytes(n=None, _c=counter):
            c = next(_c)
            return bytes((c + i) & 0xFF for i in range(n))

        secrets.token_bytes = token_bytes
        r = FakeRedis()
        app = Flask(__name__)
        app.config.update(SECRET_KEY="dev", SESSION_TYPE="redis", SESSION_REDIS=r, **config)
        Session(app)

        @app.route("/set")
        def set_():
            session["name"] = "x"
            session["a"] = 1
            return "ok"

        @app.route("/typed")
        def typed():
            session["at"] = datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc)
            session["raw"] = b"\x00\xff"
            session["pair"] = (1, "x")
            session["big"] = 2**64 - 1
            return "typed"

        @app.route("/read")
        def read():
            return str(session.get("name"))

        @app.route("/nothing")
        def nothing():
            return "n"

        @app.route("/clear")
        def clear():
            session.clear()
            return "c"

        c = app.test_client(use_cookies=False)
        script = [("/nothing", None), ("/set", None), ("/read", "KEEP"), ("/read", "tampered"), ("/typed", "KEEP"), ("/read", "KEEP"), ("/clear", "KEEP"), ("/read", "KEEP")]
        cookie = None
        for path, send in script:
            r.log.clear()
            headers = {}
            value = cookie if send == "KEEP" else send
            if value:
                headers["Cookie"] = "session=" + value
            resp = c.get(path, headers=headers)
            set_cookies = resp.headers.getlist("Set-Cookie")
            for sc in set_cookies:
                v = sc.split(";")[0].split("=", 1)[1]
                if send in (None, "KEEP"):
                    cookie = v or None
            out.append({"config": name, "configValues": {k: v for k, v in config.items()}, "path": path, "cookieSent": value, "status": resp.status_code, "body": resp.get_data(as_text=True), "commands": list(r.log), "setCookie": set_cookies, "vary": resp.headers.get("Vary")})
    return out


def transcript_032_configs():
    """Flask 2.2.2 + Flask-Session 0.3.2 set up by Session(app) under several configurations, with a recording fake
    Redis, fixed ids (uuid4 gives UUID(int=1), UUID(int=2), ... afresh for each configuration) and a fixed clock."""
    import warnings

    warnings.simplefilter("ignore")
    import flask.sessions as fs
    import flask_session.sessions as fss
    from flask import Flask, session
    from flask_session import Session

    class FixedDT(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)

        @classmethod
        def utcnow(cls):
            return datetime.datetime(2023, 11, 14, 22, 13, 20)

    fs.datetime = FixedDT

    class FakeRedis:
        def __init__(self):
            self.data = {}
            self.log = []

        def get(self, name):
            self.log.append(["GET", name])
            return self.data.get(name)

        def setex(self, name, time, value):
            self.log.append(["SETEX", name, int(time), value.hex()])
            self.data[name] = value

        def delete(self, name):
            self.log.append(["DEL", name])
            self.data.pop(name, None)

    configs = {
        "defaults": {},
        "SESSION_PERMANENT=False": {"SESSION_PERMANENT": False},
        "SESSION_KEY_PREFIX=app:, PERMANENT_SESSION_LIFETIME=90": {"SESSION_KEY_PREFIX": "app:", "PERMANENT_SESSION_LIFETIME": 90},
        "SESSION_REFRESH_EACH_REQUEST=False": {"SESSION_REFRESH_EACH_REQUEST": False},
        "SESSION_USE_SIGNER=[], SESSION_PERMANENT=''": {"SESSION_USE_SIGNER": [], "SESSION_PERMANENT": ""},
    }
    out = []
    for name, config in configs.items():
        ids = iter(uuid.UUID(int=i + 1) for i in range(100))
        fss.uuid4 = lambda: next(ids)
        r = FakeRedis()
        app = Flask(__name__)
        app.config.update(SECRET_KEY="dev", SESSION_TYPE="redis", SESSION_REDIS=r, **config)
        Session(app)

        @app.route("/set")
        def set_():
            session["name"] = "x"
            session["a"] = 1
            return "ok"

        @app.route("/typed")
        def typed():
            session["raw"] = b"\x00\xff"
            session["pair"] = (1, "two")
            session["big"] = 2**70
            session["f"] = 2.5
            return "typed"

        @app.route("/read")
        def read():
            return str(session.get("name"))

        @app.route("/nothing")
        def nothing():
            return "n"

        @app.route("/clear")
        def clear():
            session.clear()
            return "c"

        c = app.test_client(use_cookies=False)
        script = [("/nothing", None), ("/set", None), ("/read", "KEEP"), ("/read", "tampered"), ("/typed", "KEEP"), ("/clear", "KEEP"), ("/read", "KEEP")]
        cookie = None
        for path, send in script:
            r.log.clear()
            headers = {}
            value = cookie if send == "KEEP" else send
            if value:
                headers["Cookie"] = "session=" + value
            resp = c.get(path, headers=headers)
            set_cookies = resp.headers.getlist("Set-Cookie")
            for sc in set_cookies:
                if send in (None, "KEEP"):
                    cookie = sc.split(";")[0].split("=", 1)[1] or None
            out.append({"config": name, "configValues": config, "path": path, "cookieSent": value, "status": resp.status_code, "body": resp.get_data(as_text=True), "commands": list(r.log), "setCookie": set_cookies, "vary": resp.headers.get("Vary")})
    return out


def main():
    if MODERN:
        import flask_session
        import msgspec

        vectors = {"generatedBy": f"tests/peers/flask_session_vectors.py under Debian 13's python3 {sys.version.split()[0]}, msgspec {msgspec.__version__}, Flask-Session {flask_session.__version__}", **msgspec_vectors()}
        with open(OUT, "w") as f:
            json.dump(vectors, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print("wrote", os.path.normpath(OUT), {k: len(v) for k, v in vectors.items() if isinstance(v, list)})
        return
    vectors = {
        "generatedBy": "tests/peers/flask_session_vectors.py under /usr/bin/python3 " + sys.version.split()[0],
        "pickle": pickle_vectors(),
        "pickleShared": shared_object_vectors(),
        "pickleText": text_protocol_vectors(),
        "pickleUnsafe": unsafe_vectors(),
        "msgpack": msgpack_vectors(),
        "signedSid": signer_vectors(),
        "transcript032": transcript_032(),
        "transcript032Configs": transcript_032_configs(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(vectors, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(OUT), {k: len(v) for k, v in vectors.items() if isinstance(v, list)})
    if len(sys.argv) == 1:
        write_modern()


def write_modern():
    """Runs this script in Debian 13's root (the folder copied in at the same absolute path) and copies its file out."""
    import shutil
    import subprocess
    import tempfile

    root = os.environ.get("FLASK_SESSION_LAB_TRIXIE") or "/var/cache/flask-session-lab/trixie"
    if not os.path.exists(os.path.join(root, "usr/bin/python3")):
        sys.exit(f"no Debian 13 root at {root}: run 'bash scripts/peers.sh' as root")
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(root + here, exist_ok=True)
    for name in os.listdir(here):
        if name.endswith(".py"):
            shutil.copyfile(os.path.join(here, name), os.path.join(root + here, name))
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.join(root, "tmp")) as tmp:
        inside = os.path.join("/tmp", os.path.basename(tmp), "v.json")
        chroot = "/usr/sbin/chroot" if os.path.exists("/usr/sbin/chroot") else "chroot"
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        subprocess.run([chroot, root, "/usr/bin/python3", os.path.abspath(__file__), inside], check=True, env=env)
        out = os.path.join(here, "..", "vectors", "flask_session_msgspec.json")
        shutil.copyfile(os.path.join(tmp, "v.json"), out)
        print("wrote", os.path.normpath(out), "under Debian 13")


if __name__ == "__main__":
    main()
