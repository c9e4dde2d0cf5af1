"""Werkzeug's own cookie helpers, asked from a test: how a Cookie header parses and how Set-Cookie is written.

Runs under either judge (tests/support/judges.ts): Debian 12's Werkzeug 2.2.2 or Debian 13's Werkzeug 3.1.3.

    python3 werkzeug_cookies.py            reads one JSON request on stdin, writes one JSON answer on stdout
    python3 werkzeug_cookies.py --table    answers the fixed table below (the input of tests/vectors/werkzeug_cookies.json)

Request: {"parse": [header, ...], "dump": [{"key", "value", "kwargs"}, ...], "status": [code, ...]}. Answer:
{"werkzeug": version, "parse": [[[name, value], ...] | error, ...], "dump": [{"header", "warnings"} | error, ...],
"status": [status line, ...]} ("status" only when asked: the status line a Response with that code carries).

- A header is parsed the way Flask reads it: as the WSGI environ's HTTP_COOKIE (latin-1 text, as PEP 3333 has it)
  through `Request(environ).cookies`. The answer lists each name once, with its first value, in first-seen order.
- `kwargs` go to `werkzeug.http.dump_cookie` as they are, except `expires` (Unix seconds, an int). `warnings`
  lists the text of each warning raised (the oversized-cookie warning).
- An error is {"error": {"cls": type name, "msg": str(e)}}.

tests/peers/make_werkzeug_cookie_vectors.py runs the table under both judges and writes the vector file.
"""

import json
import sys
import warnings
from importlib.metadata import version

from werkzeug.http import dump_cookie
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response


def error(e):
    return {"error": {"cls": type(e).__name__, "msg": str(e)}}


def parse(header):
    environ = EnvironBuilder(path="/").get_environ()
    environ["HTTP_COOKIE"] = header
    try:
        cookies = Request(environ).cookies
        return [[k, cookies.getlist(k)[0]] for k in cookies.keys()]
    except Exception as e:  # noqa: BLE001 - reported to the caller
        return error(e)


def dump(case):
    kwargs = dict(case.get("kwargs") or {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            header = dump_cookie(case["key"], case.get("value", ""), **kwargs)
        except Exception as e:  # noqa: BLE001
            return error(e)
    return {"header": header, "warnings": [str(w.message) for w in caught]}


def answer(req):
    out = {
        "werkzeug": version("werkzeug"),
        "parse": [parse(h) for h in req.get("parse", [])],
        "dump": [dump(c) for c in req.get("dump", [])],
    }
    if "status" in req:
        out["status"] = [Response(status=code).status for code in req["status"]]
    return out


# The fixed table. Headers are latin-1 text: "\u00c3\u00a9" is how the UTF-8 bytes of "é" arrive.
PARSE_TABLE = [
    "session=A; session=B",
    "a = 1 ; flag; b=2",
    'q="a\\073b\\303\\251"; bad=a b; ok=x',
    "bad=a b",
    'x=say "hi"; y=1',
    'x=a"b; y=2',
    'x="unterminated; y=3',
    'x="a\\"b"; y="\\\\"',
    'x=""; y="\\"',
    "x=\u00c3\u00a9; y=\u00ff",
    "x=\"\\303\\251\\377\"",
    "  lead=1;trail=2  ;  ;;=3; =4",
    "no-equals; other=ok",
    "a=b=c; d==e",
    "tab\t=\tv\t; nl=\x0bv",
    "k=v;k2=v2",
    "",
    ";",
    "sp ace=1; 'q'=2",
    "x=\u00a0v\u00a0; y=\x85w\x85",
    "session=eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk; theme=dark",
    'x="\u00c3\u00a9"; y="\u00ff"',
    "a=b\nc; d=e",
    'x="a\\\nb"; y=1',
    "x=1\n; y=2",
    "\u00e9t\u00e9=1; \u00c3\u00a9t\u00c3\u00a9=2",
    "x=\u2603; y=\U0001f36a",
    "x=\x1cv\x1f; y=\ufeffw",
]

DUMP_TABLE = [
    {"key": "session", "value": "eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk", "kwargs": {"httponly": True}},
    {"key": "k", "value": "a b"},
    {"key": "k", "value": "a;b"},
    {"key": "k", "value": "\u00e9"},
    {"key": "k", "value": 'say "hi"'},
    {"key": "k", "value": "back\\slash"},
    {"key": "k", "value": "a,b"},
    {"key": "k", "value": "\x01"},
    {"key": "k", "value": "\x1a"},
    {"key": "k", "value": "\x7f~`[]{}()<>=?@:/"},
    {"key": "k", "value": "\U0001f36a"},
    {"key": "k", "value": "v", "kwargs": {"domain": ""}},
    {"key": "k", "value": "v", "kwargs": {"domain": "."}},
    {"key": "k", "value": "v", "kwargs": {"domain": "..example.com"}},
    {"key": "k", "value": "v", "kwargs": {"domain": ".Example.com:8080"}},
    {"key": "k", "value": "v", "kwargs": {"domain": "example.com"}},
    {"key": "k", "value": "v", "kwargs": {"domain": "localhost"}},
    {"key": "k", "value": "v", "kwargs": {"domain": "b\u00fccher.example"}},
    {"key": "k", "value": "v", "kwargs": {"path": "/a b/\u00fc;x"}},
    {"key": "k", "value": "v", "kwargs": {"path": None}},
    {"key": "k", "value": "v", "kwargs": {"max_age": 60, "expires": 1700000000}},
    {"key": "k", "value": "v", "kwargs": {"samesite": "lax"}},
    {"key": "k", "value": "v", "kwargs": {"samesite": "sometimes"}},
    {"key": "k", "value": "v", "kwargs": {"samesite": ""}},
    {"key": "k", "value": "v", "kwargs": {"secure": True, "httponly": True, "domain": "example.com", "path": "/app", "expires": 1702678400, "samesite": "Strict"}},
    {"key": "k", "value": "", "kwargs": {"expires": 0, "max_age": 0, "httponly": True}},
    {"key": "k", "value": "v", "kwargs": {"partitioned": True, "samesite": "None"}},
    {"key": "k", "value": "v", "kwargs": {"httponly": 1, "secure": 0}},
    {"key": "k", "value": "v", "kwargs": {"httponly": "", "secure": "yes"}},
    {"key": "k", "value": "v", "kwargs": {"domain": "a..b"}},
    {"key": "k", "value": "v", "kwargs": {"domain": "Stra\u00dfe.example"}},
    # The oversized-cookie warning: what is counted, and where it starts (max_size 4093 by default).
    {"key": "session", "value": "x" * 4066, "kwargs": {"httponly": True}},
    {"key": "session", "value": "x" * 4067, "kwargs": {"httponly": True}},
    {"key": "session", "value": "x" * 4068, "kwargs": {"httponly": True}},
    {"key": "session", "value": "x" * 4119, "kwargs": {"httponly": True}},
    {"key": "session", "value": "x" * 4119, "kwargs": {"httponly": True, "max_size": 0}},
    {"key": "k", "value": "\u00e9" * 200, "kwargs": {"max_size": 100}},
    {"key": "k", "value": "a b" * 30, "kwargs": {"max_size": 50}},
    {"key": "k", "value": "\U0001f36a" * 10, "kwargs": {"max_size": 60}},
    {"key": "s\u00e9ssion", "value": "v" * 20, "kwargs": {"max_size": 20}},
    {"key": "k", "value": "v" * 20, "kwargs": {"max_size": 20, "domain": "b\u00fccher.example"}},
    {"key": "k", "value": "v" * 20, "kwargs": {"max_size": 20, "path": "/\u00fc"}},
]


def main():
    if sys.argv[1:] == ["--table"]:
        req = {"parse": PARSE_TABLE, "dump": DUMP_TABLE}
        out = answer(req)
        out["request"] = req
    else:
        out = answer(json.load(sys.stdin))
    sys.stdout.write(json.dumps(out, ensure_ascii=True, sort_keys=True, indent=1) + "\n")


if __name__ == "__main__":
    main()
