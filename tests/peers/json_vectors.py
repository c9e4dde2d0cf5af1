"""Writes tests/vectors/json.json: Flask's tagged JSON, Python's json module and Werkzeug's dates, as the real thing does them.

Run with Debian's interpreter (Flask 2.2.2, Werkzeug 2.2.2, Python 3.11):

    /usr/bin/python3 tests/peers/json_vectors.py

The output is deterministic (fixed seed). Values travel in the neutral "wire" form of tests/peers/wire.py
(lone surrogates included), so the TypeScript tests rebuild inputs without going through the serializer under test.

An error is {"error": {"cls": <type name>, "msg": str(e)}}.
"""

import json
import os
import random
import struct
import sys
import uuid
from importlib.metadata import version
from datetime import datetime, timedelta, timezone

import flask
import werkzeug
from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from markupsafe import Markup
from werkzeug.http import http_date, parse_date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire import EPOCH_AWARE, EPOCH_NAIVE, from_wire, to_wire  # noqa: E402,F401 (json_live.test.ts uses from_wire)

SEED = 20240102
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "json.json")
TAG_KEYS = [" di", " t", " b", " m", " u", " d"]

rng = random.Random(SEED)
app = Flask(__name__)
serializer = TaggedJSONSerializer()


def error(e):
    return {"error": {"cls": type(e).__name__, "msg": str(e)}}


# ----------------------------------------------------------------------------------------------------------
# Random values

EDGE_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 1e16, 1e15, 1e-4, 1e-5, 9999999999999998.0, 1.2345678901234568e17, 5e-324,
               2.2250738585072014e-308, 1.7976931348623157e308, float("nan"), float("inf"), float("-inf"), 0.5,
               1 / 3, 2.0 ** 53, 123456789.125, 100.0, 1e22, 1e21, 1e-7]
EDGE_INTS = [0, 1, -1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 63, 2 ** 64, 2 ** 70, -(2 ** 70), 10 ** 30,
             10 ** 100]
CHARS = (list("abcXYZ019 _-/.,:;!?'\"\\") + ["\x00", "\x1f", "\x7f", "\x80", "\xe9", "\u00ff", "\u2028", "\u2603",
         "\uffff", "\ud800", "\udfff", "\U0001f600", "\U0001d11e", "\U0010ffff", "\n", "\t", "\r", "\b", "\f", " t",
         " di", "\u4e2d", "\u6587"])


def rand_float():
    r = rng.random()
    if r < 0.3:
        return rng.choice(EDGE_FLOATS)
    if r < 0.6:
        return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
    if r < 0.8:
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 8))
    return float(rng.randint(-10 ** 6, 10 ** 6)) * 10.0 ** rng.randint(-30, 30)


def rand_int():
    r = rng.random()
    if r < 0.3:
        return rng.choice(EDGE_INTS)
    if r < 0.7:
        return rng.randint(-1000, 1000)
    return rng.randint(-(2 ** 200), 2 ** 200) >> rng.randint(0, 200)


def rand_str(n=8):
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(0, n)))


def rand_datetime():
    ms = rng.randint(-62135596800000, 253402300799999)  # years 1 to 9999
    r = rng.random()
    if r < 0.5:
        return EPOCH_AWARE + timedelta(milliseconds=ms)
    if r < 0.8:
        return EPOCH_NAIVE + timedelta(milliseconds=ms)
    # Aware with an offset, kept in range after conversion to UTC.
    tz = timezone(timedelta(minutes=rng.choice([-720, -330, -60, 60, 120, 330, 840])))
    d = EPOCH_AWARE + timedelta(milliseconds=min(max(ms, -62135596800000 + 86400000), 253402300799999 - 86400000))
    return d.astimezone(tz)


def rand_leaf():
    kind = rng.choice(["none", "bool", "int", "int", "float", "float", "str", "str", "bytes", "markup", "uuid", "datetime"])
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rand_int()
    if kind == "float":
        return rand_float()
    if kind == "str":
        return rand_str()
    if kind == "bytes":
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 10)))
    if kind == "markup":
        return Markup(rand_str())
    if kind == "uuid":
        return uuid.UUID(int=rng.getrandbits(128))
    return rand_datetime()


def rand_key(kind):
    if kind == "str":
        return rng.choice([rand_str(5), rng.choice(TAG_KEYS), rng.choice(["a", "b", "Z", "_", " x", " t__"])])
    if kind == "num":
        return rng.choice([rand_int(), rand_float(), True, False])
    return rng.choice([rand_str(3), rand_int(), rand_float(), True, False, None])


def rand_value(depth):
    if depth <= 0 or rng.random() < 0.35:
        return rand_leaf()
    kind = rng.choice(["list", "tuple", "dict", "dict", "tagdict"])
    n = rng.randint(0, 4)
    if kind == "list":
        return [rand_value(depth - 1) for _ in range(n)]
    if kind == "tuple":
        return tuple(rand_value(depth - 1) for _ in range(n))
    if kind == "tagdict":
        return {rng.choice(TAG_KEYS): rand_value(depth - 1)}
    keys = rng.choice(["str", "str", "str", "num", "any"])
    return {rand_key(keys): rand_value(depth - 1) for _ in range(n)}


def dump_outside(v):
    try:
        return serializer.dumps(v)
    except Exception as e:  # noqa: BLE001 - every failure is a vector
        return error(e)


def dump_inside(v):
    with app.app_context():
        try:
            return serializer.dumps(v)
        except Exception as e:  # noqa: BLE001
            return error(e)


def load(text):
    try:
        return to_wire(serializer.loads(text))
    except Exception as e:  # noqa: BLE001
        return error(e)


def value_cases(n):
    cases = []
    for i in range(n):
        v = rand_value(rng.choice([1, 2, 3, 3, 4]))
        unsorted = dump_outside(v)
        sorted_ = dump_inside(v)
        text = sorted_ if isinstance(sorted_, str) else unsorted
        cases.append({
            "input": to_wire(v),
            "unsorted": unsorted,
            "sorted": sorted_,
            "loaded": load(text) if isinstance(text, str) else None,
        })
    return cases


# ----------------------------------------------------------------------------------------------------------
# Tagged texts to load, including malformed tags

LOAD_TEXTS = [
    '{" di":{"abc":1}}', '{" di":{" t__":{" t":[1]}}}', '{" x":1}', '{" t":[1,2],"other":1}', '{" t":[1]," t":[2]}',
    '{" t":5}', '{" t":null}', '{" t":"ab\\ud83d\\ude00"}', '{" t":{"k":1,"j":2}}', '{" u":"nothex"}', '{" u":5}',
    '{" u":"{12345678-1234-5678-1234-567812345678}"}', '{" u":"urn:uuid:12345678-1234-5678-1234-567812345678"}',
    '{" u":"0x111111111111111111111111111111"}', '{" u":"1234567812345678123456781234567g"}', '{" b":"eA"}',
    '{" b":"!!"}', '{" b":"A-P_8="}', '{" b":"AP8="}', '{" b":5}', '{" b":"\\u00e9"}', '{" b":{" b":"WVdJPQ=="}}',
    '{" m":5}', '{" m":[1,null,2.5]}', '{" m":{" m":"<i>"}}', '{" m":"<b>\\u00e9</b>"}',
    '{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}', '{" d":"Tue, 02 Jan 2024 05:04:05 +0200"}', '{" d":"nope"}',
    '{" d":0}', '{" d":5}', '{" d":null}', '{" d":""}', '{" d":[]}', '{" d":{" b":"YWI="}}',
    '{" d":"Sat, 01 Jan 0005 00:00:00 GMT"}', '{" di":[5]}', '{" di":{"x":1}}',
    '{"a":NaN,"b":Infinity,"c":-Infinity,"d":-0.0,"e":1e400,"f":123456789012345678901234567890}',
    '[{" t":[{" t":[]}]},{" b":""},{}]', '{"_flashes":[{" t":["message","Saved!"]}]}',
]


def rand_tagged_text():
    atoms = ['{" t":', '{" di":', '{" b":', '{" u":', '{" m":', '{" d":', '{"a":', '{', '}', '[', ']', ',', '1', '"AP8="',
             '"x"', 'null', '"12345678123456781234567812345678"', '"Tue, 02 Jan 2024 03:04:05 GMT"', '{"k__":', '2.0']
    return "".join(rng.choice(atoms) for _ in range(rng.randint(1, 10)))


def mutated_tagged_text():
    """A real dump with one tag key swapped for another, so a tag meets a value of the wrong type."""
    text = dump_outside(rand_value(3))
    if not isinstance(text, str):
        return rand_tagged_text()
    found = [k for k in TAG_KEYS if f'"{k}"' in text]
    if found:
        old = rng.choice(found)
        text = text.replace(f'"{old}"', f'"{rng.choice(TAG_KEYS)}"', 1)
    return text


def load_cases(n):
    texts = list(LOAD_TEXTS)
    seen = set(texts)
    while len(texts) < n:
        t = rand_tagged_text() if rng.random() < 0.3 else mutated_tagged_text()
        if t not in seen:
            seen.add(t)
            texts.append(t)
    return [{"text": t, "result": load_walk_after_parse(t), "flask22": load(t)} for t in texts]


def untag_scan(value):
    """Flask 3.0.1+ untags after parsing, children first (same tag classes as 2.2, a different driver)."""
    if isinstance(value, dict):
        value = {k: untag_scan(v) for k, v in value.items()}
        return serializer.untag(value)
    if isinstance(value, list):
        return [untag_scan(x) for x in value]
    return value


def load_walk_after_parse(text):
    """What Flask 3.1's loads gives: differs from 2.2 only in which error wins when a
    tagged value fails to load (compare json/tag.py at the 2.2.2 and 3.1.1 tags of pallets/flask)."""
    try:
        return to_wire(untag_scan(json.loads(text)))
    except Exception as e:  # noqa: BLE001
        return error(e)


# ----------------------------------------------------------------------------------------------------------
# Plain json: floats, malformed documents

def float_cases(n):
    out = []
    for x in EDGE_FLOATS:
        out.append([struct.pack(">d", x).hex(), repr(x), json.dumps(x)])
    while len(out) < n:
        x = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] if rng.random() < 0.7 else rand_float()
        out.append([struct.pack(">d", x).hex(), repr(x), json.dumps(x)])
    return out


def json_error_cases(n):
    atoms = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', 'd83d', 'de00', 'dc00', '1', '0', '-', '.', 'e', 'E', '+', '2',
             'a', ' ', '\n', '\t', '\x01', 'null', 'true', 'false', 'NaN', 'Infinity', '-Infinity', 'nul', '"a"',
             '"\\u12"', '\\ud800', '\u00e9', '\U0001f600', '\x7f', '/', 'b', 'n', 'x', '\ufeff', '9' * 20, '""']
    out = []
    seen = set()
    while len(out) < n:
        s = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))
        if s in seen:
            continue
        seen.add(s)
        try:
            v = json.loads(s)
            out.append([s, {"ok": json.dumps(v, separators=(",", ":"))}])
        except json.JSONDecodeError as e:
            out.append([s, {"error": {"cls": "JSONDecodeError", "msg": str(e)}}])
        except Exception as e:  # noqa: BLE001
            out.append([s, error(e)])
    return out


# ----------------------------------------------------------------------------------------------------------
# Dates

DAY_TOKENS = ["Mon,", "Tue,", "Wed", "Sunday,", "", "", "thu,"]
MONTH_TOKENS = ["Jan", "jan", "FEB", "March", "Apr", "may", "Jun", "Jul", "Aug", "September", "Oct", "Nov", "Dec"]
ZONE_TOKENS = ["GMT", "UTC", "UT", "Z", "EST", "edt", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AST", "ADT", "+0200",
               "-0000", "+0000", "-0130", "+2359", "+2400", "-9999", "+02:00", "", "", "XYZ", "+5"]


def rand_date_text():
    day = str(rng.choice([rng.randint(1, 28), rng.randint(1, 28), rng.randint(0, 33), rng.randint(1, 31)]))
    if rng.random() < 0.3:
        day = day.zfill(2)
    month = rng.choice(MONTH_TOKENS)
    year = rng.choice([str(rng.randint(1900, 2100))] * 3 + [str(rng.randint(0, 99)).zfill(2), str(rng.randint(1, 9999)).zfill(4),
                       str(rng.randint(0, 120)), "10000"])
    clock = rng.choice(["%02d:%02d:%02d", "%02d:%02d", "%d.%d.%d", "%d.%d"])
    fields = (rng.choice([rng.randint(0, 23)] * 8 + [24]), rng.choice([rng.randint(0, 59)] * 8 + [60]),
              rng.choice([rng.randint(0, 59)] * 8 + [60]))
    clock = clock % fields[: clock.count("%")]
    zone = rng.choice(ZONE_TOKENS)
    if rng.random() < 0.03:
        month = "Foo"
    form = rng.random()
    if form < 0.6:
        parts = [rng.choice(DAY_TOKENS), day, month, year, clock, zone]
    elif form < 0.75:
        parts = [rng.choice(["Sunday,", "Monday,"]), f"{day}-{month}-{year[-2:]}", clock, zone]
    elif form < 0.9:
        parts = [rng.choice(DAY_TOKENS), month, day, year, clock, zone]
    else:
        parts = [rng.choice(DAY_TOKENS), day, month, clock, year, zone]
    text = " ".join(p for p in parts if p)
    if rng.random() < 0.1 and zone.startswith(("+", "-")):
        text = text.replace(" " + zone, zone)
    return text


def date_cases(n):
    texts = ["Tue, 02 Jan 2024 03:04:05 GMT", "Sat, 01 Jan 0005 00:00:00 GMT", "", "   ", "garbage",
             "02 Jan \u0662\u0660\u0662\u0664 03:04:05 GMT", "02 Jan 2024 03:04:05 +99999999999999",
             "1 Jan 2147483648 00:00:00", "1 Jan 2147483647 00:00:00", "29 Feb 2023 00:00:00 GMT", "29 Feb 2024 00:00:00 GMT"]
    while len(texts) < n:
        texts.append(rand_date_text())
    out = []
    for t in texts:
        try:
            d = parse_date(t)
            out.append([t, None if d is None else to_wire(d)])
        except Exception as e:  # noqa: BLE001
            out.append([t, error(e)])
    return out


def http_date_cases(n):
    out = []
    for _ in range(n):
        ms = rng.randint(-62135596800000, 253402300799999)
        out.append([str(ms), http_date(EPOCH_AWARE + timedelta(milliseconds=ms))])
    return out


def main():
    vectors = {
        "about": "Generated by tests/peers/json_vectors.py with Debian's Python; do not edit by hand.",
        "python": sys.version.split()[0],
        "flask": version("flask"),
        "werkzeug": version("werkzeug"),
        "seed": SEED,
        "values": value_cases(400),
        "loads": load_cases(300),
        "floats": float_cases(400),
        "jsonErrors": json_error_cases(400),
        "dates": date_cases(400),
        "httpDates": http_date_cases(150),
    }
    with open(OUT, "w", encoding="ascii") as f:
        json.dump(vectors, f, ensure_ascii=True, indent=0, separators=(",", ":"))
        f.write("\n")
    counts = {k: len(v) for k, v in vectors.items() if isinstance(v, list)}
    print(f"wrote {os.path.relpath(OUT)}: {counts}")


if __name__ == "__main__":
    main()
