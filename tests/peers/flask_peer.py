"""A long-running program that answers cookie-session questions with Debian's real Flask and itsdangerous.

Runs under either judge of tests/support/judges.ts: /usr/bin/python3 (Debian 12: Flask 2.2.2, itsdangerous 2.1.2)
or the Debian 13 root (Flask 3.1.1, itsdangerous 2.2.0); tests/peers/flask_peer_client.ts starts it. It reads one JSON request per line on stdin
and writes one JSON answer per line on stdout, so a test suite can ask hundreds of questions of one process.

Values travel in the neutral "wire" form of tests/peers/wire.py, which is independent of Flask's tagged JSON,
so that the thing under test is never also the transport.

Requests: {"id": n, "op": ..., ...}; answers: {"id": n, ...}. Operations:

- sign:  value, keys, salt, kd, digest, serializer ("tagged" | "json"), ts  -> {token}
- sign_raw: payload (text), keys, salt, kd, digest, ts -> {token}: a TimestampSigner over raw payload text
- load:  token, keys, salt, kd, digest, serializer, now, max_age (null = none) -> {ok, value, dump, ts} | {ok: false, error}
- open:  cookie, secret_key, now, lifetime -> Flask's own SecureCookieSessionInterface.open_session inside a
         request context: {ok, kind: "loaded" | "new", value} | {ok: false, error}
- save:  secret_key, now, cookie (or null), actions (list), config -> one request through app.test_client()
         with a view that applies the actions: {status, set_cookie: [...], vary, reads, accessed, warnings, error}.
         `secret_key` may also be a wire value (e.g. ["bytes", ""]) and `config_wire` maps config keys to wire
         values, for values JSON cannot carry as Python would (bytes, tuples); `warnings` lists the text of every
         warning raised (Werkzeug's oversized-cookie warning); `error` is the exception Flask logged, or null.
         `cookie_header` (optional) replaces the Cookie header whole, as latin-1 text (a byte per character).
- dump:  value, roundtrip -> Flask's tagged dump inside an app context (of loads(dumps(value)) with roundtrip)
- outcome: cookie, secret_key, now -> {open: "loaded" | "new" | "null" | "error:<class>", status, logged}: the class
         of what open_session gives, then the status of one whole request whose view reads a key

An error is {"cls": type name, "msg": str(e), "mro": [class names]}.
"""

import contextlib
import hashlib
import json
import os
import sys
import traceback
import warnings
from datetime import datetime, timedelta

import itsdangerous
import itsdangerous.timed
from flask import Flask, session
from flask.sessions import session_json_serializer
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.test import EnvironBuilder

import flask
import flask.sessions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire import from_wire, to_wire  # noqa: E402

DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}

# One app for app contexts (sorted keys inside the tagged dump), as save_session would see it.
ctx_app = Flask("peer")


def describe(e):
    return {"cls": type(e).__name__, "msg": str(e), "mro": [c.__name__ for c in type(e).__mro__]}


# ---- clocks -----------------------------------------------------------------------------------

class _FrozenTime:
    """Stands in for the `time` module as itsdangerous.timed reads it."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


class _FrozenDatetime(datetime):
    frozen = 0.0

    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(cls.frozen, tz)


@contextlib.contextmanager
def signing_at(ts):
    """Patches TimestampSigner.get_timestamp, so every token is signed at `ts`."""
    saved = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: ts
    try:
        yield
    finally:
        TimestampSigner.get_timestamp = saved


@contextlib.contextmanager
def clock_at(now):
    """Patches time.time as itsdangerous.timed sees it, and datetime.now as flask.sessions sees it."""
    saved_time = itsdangerous.timed.time
    saved_dt = flask.sessions.datetime
    itsdangerous.timed.time = _FrozenTime(now)
    _FrozenDatetime.frozen = now
    flask.sessions.datetime = _FrozenDatetime
    try:
        yield
    finally:
        itsdangerous.timed.time = saved_time
        flask.sessions.datetime = saved_dt


# ---- serializers ------------------------------------------------------------------------------

def make_serializer(req):
    keys = req["keys"]
    serializer = session_json_serializer if req.get("serializer", "tagged") == "tagged" else None
    kwargs = {"salt": req["salt"], "signer_kwargs": {"key_derivation": req["kd"], "digest_method": DIGESTS[req["digest"]]}}
    if serializer is not None:
        kwargs["serializer"] = serializer
    return URLSafeTimedSerializer(keys, **kwargs)


def op_sign(req):
    s = make_serializer(req)
    value = from_wire(req["value"])
    with ctx_app.app_context(), signing_at(req["ts"]):
        try:
            return {"ok": True, "token": s.dumps(value)}
        except Exception as e:  # noqa: BLE001 - reported to the caller
            return {"ok": False, "error": describe(e)}


def op_sign_raw(req):
    signer = TimestampSigner(
        req["keys"], salt=req["salt"], key_derivation=req["kd"], digest_method=DIGESTS[req["digest"]]
    )
    with signing_at(req["ts"]):
        return {"ok": True, "token": signer.sign(req["payload"]).decode("utf-8")}


def op_load(req):
    s = make_serializer(req)
    with ctx_app.app_context(), clock_at(req["now"]):
        try:
            value, when = s.loads(req["token"], max_age=req.get("max_age"), return_timestamp=True)
        except Exception as e:  # noqa: BLE001
            return {"ok": False, "error": describe(e)}
        dump = session_json_serializer.dumps(value) if req.get("serializer", "tagged") == "tagged" else None
        return {"ok": True, "value": to_wire(value), "dump": dump, "ts": int(when.timestamp())}


def op_dump(req):
    with ctx_app.app_context():
        try:
            value = from_wire(req["value"])
            if req.get("roundtrip"):
                value = session_json_serializer.loads(session_json_serializer.dumps(value))
            return {"ok": True, "dump": session_json_serializer.dumps(value)}
        except Exception as e:  # noqa: BLE001
            return {"ok": False, "error": describe(e)}


class _PeerFlask(Flask):
    """Records the exception Flask logs (an unhandled error in the view or in save_session) instead of printing it."""

    logged = None

    def log_exception(self, exc_info):
        self.logged = exc_info[1]


def raw_session():
    """The request's session object without going through `flask.session`: since Flask 3.1.2 (and Debian's
    3.1.1) reading the proxy marks the session accessed, so the peer must not use it to look."""
    ctx = flask.globals._cv_request.get()
    held = vars(ctx)
    return held["_session"] if "_session" in held else held["session"]


def make_app(secret_key, config=None):
    app = _PeerFlask("peer_app")
    app.secret_key = secret_key
    app.config.update(config or {})
    return app


def op_open(req):
    app = make_app(req["secret_key"])
    if req.get("lifetime") is not None:
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=req["lifetime"])
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={req['cookie']}"} if req.get("cookie") is not None else {}
    # Build the request without pushing a request context: pushing would call open_session itself.
    environ = EnvironBuilder(path="/", headers=headers).get_environ()
    with clock_at(req["now"]), app.app_context():
        try:
            s = app.session_interface.open_session(app, app.request_class(environ))
        except Exception as e:  # noqa: BLE001
            return {"ok": False, "error": describe(e)}
        if s is None:
            return {"ok": True, "kind": "null", "value": ["dict", []]}
        with app.app_context():
            dump = session_json_serializer.dumps(dict(s))
        return {"ok": True, "kind": "loaded" if len(s) else "new", "value": to_wire(dict(s)), "dump": dump}


def apply_actions(actions):
    out = []
    for a in actions:
        op = a[0]
        if op == "set":
            session[from_wire(a[1])] = from_wire(a[2])
        elif op == "update":
            session.update(from_wire(a[1]))
        elif op == "get":
            out.append(to_wire(session.get(from_wire(a[1]))))
        elif op == "contains":
            out.append(["bool", from_wire(a[1]) in session])
        elif op == "delete":
            del session[from_wire(a[1])]
        elif op == "pop":
            out.append(to_wire(session.pop(from_wire(a[1]), None)))
        elif op == "clear":
            session.clear()
        elif op == "permanent":
            session.permanent = bool(a[1])
        elif op == "modified":
            session.modified = bool(a[1])
        elif op == "setdefault":
            out.append(to_wire(session.setdefault(from_wire(a[1]), from_wire(a[2]))))
        elif op == "getitem":
            out.append(to_wire(session[from_wire(a[1])]))
        elif op == "len":
            out.append(["int", str(len(session))])
        elif op == "popitem":
            k, v = session.popitem()
            out.append(["tuple", [to_wire(k), to_wire(v)]])
        else:
            raise ValueError(f"unknown action {op!r}")
    return out


def op_save(req):
    config = dict(req.get("config") or {})
    if isinstance(config.get("PERMANENT_SESSION_LIFETIME"), (int, float)) and not isinstance(config["PERMANENT_SESSION_LIFETIME"], bool):
        config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=config["PERMANENT_SESSION_LIFETIME"])
    for k, w in (req.get("config_wire") or {}).items():
        config[k] = from_wire(w)
    key = req["secret_key"]
    app = make_app(from_wire(key) if isinstance(key, list) else key, config)
    result = {}

    @app.route("/")
    def view():
        try:
            result["reads"] = apply_actions(req["actions"])
        finally:  # also when an action raised (a KeyError, say): Flask then answers 500
            result["accessed"] = raw_session().accessed
        return "ok"

    client = app.test_client(use_cookies=False)  # a cookie jar would replace our Cookie header
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    headers = {"Cookie": f"{cookie_name}={req['cookie']}"} if req.get("cookie") else {}
    if req.get("cookie_header") is not None:
        headers = {"Cookie": req["cookie_header"]}  # latin-1 text, as a server hands the header bytes over
    with clock_at(req["now"]), signing_at(int(req["now"])), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resp = client.get("/", headers=headers)
    return {
        "ok": True,
        "status": resp.status_code,
        "set_cookie": resp.headers.getlist("Set-Cookie"),
        "vary": resp.headers.get("Vary"),
        "reads": result.get("reads"),
        "accessed": result.get("accessed"),
        "warnings": [str(w.message) for w in caught],
        "error": None if app.logged is None else describe(app.logged),
    }


def op_outcome(req):
    """What Flask makes of a cookie, as a class only (no value travels back, so keys JSON cannot carry are fine):
    open_session alone -> "loaded" (a non-empty session), "new" (an empty one), "null", or the exception class;
    then one whole request through app.test_client() whose view reads a key -> its status and the logged class."""
    app = make_app(req["secret_key"])
    header = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={req['cookie']}"}
    environ = EnvironBuilder(path="/", headers=header).get_environ()
    with clock_at(req["now"]), app.app_context():
        try:
            s = app.session_interface.open_session(app, app.request_class(environ))
            opened = "null" if s is None else ("loaded" if len(s) else "new")
        except Exception as e:  # noqa: BLE001
            opened = "error:" + type(e).__name__

    @app.route("/")
    def view():
        session.get("n")
        return "ok"

    client = app.test_client(use_cookies=False)
    with clock_at(req["now"]), signing_at(int(req["now"])):
        resp = client.get("/", headers=header)
    return {"open": opened, "status": resp.status_code, "logged": None if app.logged is None else type(app.logged).__name__}


OPS = {"sign_raw": op_sign_raw, "sign": op_sign, "load": op_load, "dump": op_dump, "open": op_open, "save": op_save, "outcome": op_outcome}


def main():
    out = sys.stdout
    out.write(json.dumps({"ready": True, "flask": flask_version(), "itsdangerous": itsdangerous_version()}) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            answer = OPS[req["op"]](req)
        except Exception as e:  # noqa: BLE001 - a bug in the request, not in the code under test
            answer = {"ok": False, "peer_error": describe(e), "trace": traceback.format_exc()}
        answer["id"] = req.get("id")
        out.write(json.dumps(answer) + "\n")
        out.flush()


def flask_version():
    from importlib.metadata import version

    return version("flask")


def itsdangerous_version():
    from importlib.metadata import version

    return version("itsdangerous")


if __name__ == "__main__":
    main()
