"""Runs the lesson demos that name a real library on the real library, under whichever judge runs this file
(Debian 12's Flask 2.2.2 + Flask-Session 0.3.2, or Debian 13's Flask 3.1.1 + Flask-Session 0.8.0), and prints what
it observed as JSON. `python3 real_demos.py CASE`; the pickle case reads REDIS_URL (the test starts a redis-server).

Only facts are printed here: the assertions and the comparison with the engine and with the frozen file live in
real-demos.test.ts. Time is pinned to the lessons' demo instant (itsdangerous reads it through get_timestamp).
"""
import hashlib
import importlib
import json
import os
import pickle
import pickletools
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "python")
sys.path.insert(0, EXAMPLES)
sys.path.insert(0, os.path.join(EXAMPLES, "part2"))
warnings.simplefilter("ignore", DeprecationWarning)

import flask  # noqa: E402
import itsdangerous.timed  # noqa: E402

DEMO_TIME = 1700000000
NOW = [DEMO_TIME]
itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: NOW[0]


def versions():
    import importlib.metadata as md

    return {name: md.version(name) for name in ("Flask", "Werkzeug", "itsdangerous", "Flask-Session")}


def exchange(client, path, cookie=None):
    headers = {"Cookie": cookie} if cookie else {}
    r = client.get(path, headers=headers)
    return {
        "method": "GET",
        "url": path,
        "request_headers": [["Cookie", cookie]] if cookie else [],
        "status": r.status_code,
        "headers": [[k, v] for k, v in r.headers.items()],
        "body": r.get_data(as_text=True),
    }


def set_cookie_value(x, name="session"):
    for k, v in x["headers"]:
        if k == "Set-Cookie" and v.startswith(name + "="):
            return v.split(";", 1)[0].split("=", 1)[1]
    return None


def flask_serializer(app, keys):
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import URLSafeTimedSerializer

    si = SecureCookieSessionInterface()
    return URLSafeTimedSerializer(keys, salt=si.salt, serializer=si.serializer,
                                  signer_kwargs={"key_derivation": si.key_derivation, "digest_method": hashlib.sha1})


def verifies(app, key, token):
    from itsdangerous import BadSignature

    try:
        flask_serializer(app, key).loads(token)
        return True
    except BadSignature:
        return False


# Lesson 4: a browser-session cookie at the age limit, one second past it, and from the future.
def case_expiry():
    from flask import Flask, session

    app = Flask(__name__)
    app.config.update(SECRET_KEY="a-long-random-secret-nobody-can-guess", PERMANENT_SESSION_LIFETIME=7200)

    @app.get("/login/alice")
    def login():
        session["user"] = "alice"
        session["admin"] = False
        return "hello alice"

    @app.get("/whoami")
    def whoami():
        return session.get("user", "nobody")

    NOW[0] = DEMO_TIME
    token = set_cookie_value(exchange(app.test_client(), "/login/alice"))
    out = {"lifetime": 7200}
    for name, t in (("at_limit", DEMO_TIME + 7200), ("past_limit", DEMO_TIME + 7201), ("future", DEMO_TIME - 5)):
        NOW[0] = t
        out[name] = exchange(app.test_client(use_cookies=False), "/whoami", f"session={token}")["body"]
    NOW[0] = DEMO_TIME
    return out


# Lesson 4: key rotation with examples/python/key_rotation.py, and plain Flask given SECRET_KEY_FALLBACKS.
def case_rotation():
    from flask import Flask, session

    m = importlib.import_module("key_rotation")
    old = Flask("old")
    old.secret_key = "key-2025-a"

    @old.get("/login/alice")
    def login():
        session["user"] = "alice"
        return "hello alice"

    old_cookie = set_cookie_value(exchange(old.test_client(), "/login/alice"))
    client = m.app.test_client(use_cookies=False)
    read = exchange(client, "/whoami", f"session={old_cookie}")
    write = exchange(client, "/visit", f"session={old_cookie}")
    new_cookie = set_cookie_value(write)

    # The same settings without the example's interface: what this Flask does on its own.
    plain = Flask("plain")
    plain.config.update(SECRET_KEY="key-2025-b", SECRET_KEY_FALLBACKS=["key-2025-a"])
    plain.add_url_rule("/whoami", view_func=lambda: session.get("user", "nobody"), endpoint="whoami")
    plain_read = exchange(plain.test_client(use_cookies=False), "/whoami", f"session={old_cookie}")

    # The next rotation: key-2025-a is no longer listed.
    m.app.config.update(SECRET_KEY="key-2025-c", SECRET_KEY_FALLBACKS=["key-2025-b"])
    retired = exchange(m.app.test_client(use_cookies=False), "/whoami", f"session={old_cookie}")
    return {
        "interface": type(m.app.session_interface).__name__,
        "old_cookie": old_cookie,
        "read": read,
        "write": write,
        "new_cookie": new_cookie,
        "new_verifies_with": {k: verifies(m.app, k, new_cookie) for k in ("key-2025-a", "key-2025-b")},
        "plain_read": plain_read,
        "retired": retired,
    }


# Lesson 5: the tutorial's interface sets a cookie on every response, whatever session.modified says.
def case_custom_interface():
    m = importlib.import_module("my_session_interface")
    m.MySessionInterface.container.clear()
    seen = {}

    @m.app.after_request
    def record(resp):
        seen["modified"] = flask.session.modified
        return resp

    visitor = exchange(m.app.test_client(), "/hello")
    modified_in_save = seen["modified"]

    class UnmodifiedSession(m.MySession):
        modified = False  # as if the class tracked changes and saw none

    class WithUnmodified(m.MySessionInterface):
        session_class = UnmodifiedSession

    m.app.session_interface = WithUnmodified()
    forced = exchange(m.app.test_client(), "/hello")
    forced_modified = seen["modified"]
    return {"visitor": visitor, "modified": modified_in_save, "forced": forced, "forced_modified": forced_modified,
            "entries": len(m.MySessionInterface.container)}


class ShowsPythonVersion:
    """Unpickling calls platform.python_version(): harmless, and its result shows whose Python ran it."""

    def __reduce__(self):
        import platform

        return (platform.python_version, ())


class Prints:
    """Unpickling calls print(...), which returns None: the variant whose only trace is a log line."""

    def __reduce__(self):
        return (print, ("this line ran inside the web server",))


def poisoned_payload(kind):
    return pickle.dumps({"user": "alice", "x": ShowsPythonVersion() if kind == "version" else Prints()}, protocol=4)


# Lesson 7: a poisoned pickle planted in a real Redis under a session key, then one request with that id.
def case_pickle_store(kind="version"):
    import redis
    from flask import Flask, session
    from flask_session import Session

    r = redis.Redis.from_url(os.environ["REDIS_URL"])
    r.flushdb()
    app = Flask(__name__)
    app.config.update(SECRET_KEY="change-me", SESSION_TYPE="redis", SESSION_REDIS=r, SESSION_PERMANENT=False)
    Session(app)

    @app.get("/whoami")
    def whoami():
        return f"user: {session.get('user', 'nobody')}, x: {session.get('x')!r}"

    payload = poisoned_payload(kind)
    sid = "0123456789abcdef0123456789abcdef"
    r.set(f"session:{sid}", payload, ex=3600)
    import logging

    logging.disable(logging.CRITICAL)
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        x = exchange(app.test_client(use_cookies=False), "/whoami", f"session={sid}")
    stored = r.get(f"session:{sid}")
    ops = [op.name for op, _arg, _pos in pickletools.genops(payload)]
    import platform

    return {
        "payload_hex": payload.hex(),
        "opcodes": ops,
        "python": platform.python_version(),
        "sid": sid,
        "exchange": x,
        "stored_after_hex": stored.hex() if stored is not None else None,
        "stored_after_is_payload": stored == payload,
        "keys_after": sorted(k.decode() for k in r.keys("*")),
        "printed": printed.getvalue(),
    }


def case_loose_ends():
    """Lesson 9's corrections to the posts: where `session` finds its request, flask.escape, and what happens
    when the session interface is the class instead of an instance."""
    import flask.ctx
    import flask.globals
    import werkzeug.local
    from flask.sessions import SecureCookieSessionInterface

    app = flask.Flask(__name__)
    app.secret_key = "dev"

    @app.route("/")
    def index():
        flask.session["n"] = 1
        return "ok"

    seen = {}
    with app.test_request_context("/"):
        seen["session_proxy"] = type(flask.session).__module__ + "." + type(flask.session).__qualname__
        seen["request_var"] = type(flask.globals._cv_request).__name__
        seen["request_var_name"] = flask.globals._cv_request.name

    broken = flask.Flask(__name__)
    broken.secret_key = "dev"
    broken.session_interface = SecureCookieSessionInterface  # the class, as one post writes it

    @broken.route("/")
    def broken_index():
        return "never reached"

    broken.testing = False
    import logging

    logging.disable(logging.CRITICAL)
    try:
        with broken.test_request_context("/"):
            broken.session_interface.open_session(broken, flask.request)
        class_error = None
    except TypeError as e:
        class_error = f"TypeError: {e}"
    status = broken.test_client().get("/").status_code
    return {
        "session_proxy": seen["session_proxy"],
        "request_var": seen["request_var"],
        "request_var_name": seen["request_var_name"],
        "has_request_ctx_stack": hasattr(flask.globals, "_request_ctx_stack"),
        "has_flask_escape": "escape" in dir(flask),
        "has_auto_pop": hasattr(flask.ctx.RequestContext, "auto_pop"),
        "local_stack_exists": hasattr(werkzeug.local, "LocalStack"),
        "class_interface_error": class_error,
        "class_interface_status": status,
    }


if __name__ == "__main__":
    result = globals()["case_" + sys.argv[1]](*sys.argv[2:])
    result["versions"] = versions()
    print(json.dumps(result, sort_keys=True))
