"""A real Flask app served over HTTP on loopback, for cookie interop tests.

Runs under either judge of tests/support/judges.ts (Debian 12's Flask 2.2.2 or Debian 13's Flask 3.1.1). Environment: SECRET_KEY (required), PORT (default 0 = any free port).
Prints one line `PORT <n>` on stdout once it listens, and exits as soon as its stdin closes, so a test
runner that dies cannot leave it behind.

Routes (all GET):
  /set?key=K&value=V      session[K] = V (a string)
  /set_typed              stores a tuple, bytes, Markup, UUID, datetime and a ` t` key collision
  /get?key=K              the text of session.get(K), or an empty body
  /has?key=K              "yes" / "no" for `K in session` (Flask 2.2: does not mark the session accessed)
  /dump                   Flask's tagged JSON of dict(session), inside the app context (keys sorted)
  /clear                  session.clear()
  /permanent?on=1|0       session.permanent = on
  /noop                   does not touch the session
  /cookies                every cookie of the request as Werkzeug parsed it: JSON [[name, first value], ...]
  /_clock?t=SECONDS       freezes the clock that signs tokens and computes Expires; /_clock with no t unfreezes
"""

import json
import os
import sys
import time
import uuid
from datetime import datetime

import flask.sessions
from flask import Flask, request, session
from flask.sessions import session_json_serializer
from itsdangerous import TimestampSigner
from markupsafe import Markup

FROZEN = {"t": None}


def _now():
    return FROZEN["t"] if FROZEN["t"] is not None else time.time()


class _ClockDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(_now(), tz)


# Both clocks the session machinery reads: the token's timestamp and the permanent cookie's Expires.
TimestampSigner.get_timestamp = lambda self: int(_now())
flask.sessions.datetime = _ClockDatetime

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.route("/set")
def set_value():
    session[request.args["key"]] = request.args.get("value", "")
    return "ok"


@app.route("/set_typed")
def set_typed():
    session["tuple"] = (1, "two", 3.0)
    session["bytes"] = b"\x00\xff binary"
    session["markup"] = Markup("<b>bold</b>")
    session["uuid"] = uuid.UUID("12345678-1234-5678-1234-567812345678")
    session["when"] = datetime(2024, 1, 2, 3, 4, 5)
    session["collide"] = {" t": "not a tuple"}
    return "ok"


@app.route("/get")
def get_value():
    v = session.get(request.args["key"])
    return "" if v is None else str(v)


@app.route("/has")
def has_value():
    return "yes" if request.args["key"] in session else "no"


@app.route("/dump")
def dump():
    return session_json_serializer.dumps(dict(session))


@app.route("/clear")
def clear():
    session.clear()
    return "ok"


@app.route("/permanent")
def permanent():
    session.permanent = request.args.get("on", "1") == "1"
    return "ok"


@app.route("/noop")
def noop():
    return "ok"


@app.route("/cookies")
def cookies():
    return json.dumps([[k, request.cookies.getlist(k)[0]] for k in request.cookies.keys()])


@app.route("/_clock")
def clock():
    t = request.args.get("t")
    FROZEN["t"] = float(t) if t is not None else None
    return "ok"


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from loopback import serve

    serve(app)


if __name__ == "__main__":
    main()
