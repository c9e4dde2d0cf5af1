"""Drives each examples/python/*.py app with Flask's test client and prints what it observed as JSON.

Run with Debian's /usr/bin/python3: `python3 check_examples.py <example name>`. The assertions live in
python-examples.test.ts; this script only reports facts (bodies, Set-Cookie headers, Vary, warnings).
"""
import importlib
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "python"))

import itsdangerous.timed  # noqa: E402

NOW = [1700000000]
itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: NOW[0]


def cookie_value(resp, name="session"):
    for header in resp.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


def step(client, path, **kw):
    resp = client.get(path, **kw)
    return {
        "path": path,
        "status": resp.status_code,
        "body": resp.get_data(as_text=True),
        "set_cookie": resp.headers.getlist("Set-Cookie"),
        "vary": resp.headers.get("Vary"),
    }


def check_cookies(m):
    c = m.app.test_client()
    return {
        "steps": [
            step(c, "/"),
            step(c, "/theme/dark"),
            step(c, "/"),
            step(c, "/remember-language/zh-CN"),
            step(c, "/forget"),
            step(c, "/"),
        ],
        # the seed's spelling: set_cookie has no keyword argument `exipre`
        "typo": _typo(m),
    }


def _typo(m):
    with m.app.test_request_context():
        resp = m.app.make_response("x")
        try:
            resp.set_cookie("k", "v", exipre=None)
        except TypeError as e:
            return str(e)
    return None


def check_session_dict(m):
    from datetime import timedelta

    try:
        timedelta(hour=2)
        hour_error = None
    except TypeError as e:
        hour_error = str(e)
    c = m.app.test_client()
    flow = [step(c, p) for p in ["/whoami", "/login/alice", "/whoami", "/logout", "/whoami", "/reset"]]
    cart = m.app.test_client()
    cart_steps = [step(cart, p) for p in ["/cart/add-broken/apple", "/cart/add-broken/pear", "/cart", "/cart/add/pear", "/cart"]]
    perm = m.app.test_client()
    perm_steps = [step(perm, p) for p in ["/login/alice", "/remember-me", "/whoami"]]
    # PERMANENT_SESSION_LIFETIME is also the max_age of non-permanent cookies
    expiry = m.app.test_client()
    step(expiry, "/login/alice")
    NOW[0] = 1700000000 + 7200
    at_limit = step(expiry, "/whoami")
    NOW[0] = 1700000000 + 7201
    past_limit = step(expiry, "/whoami")
    NOW[0] = 1700000000
    # logout deletes the browser's copy, but a copy taken before still works
    victim = m.app.test_client()
    step(victim, "/login/alice")
    copied = cookie_value(victim.get("/login/alice"))
    logout = step(victim, "/logout")
    replay = step(m.app.test_client(use_cookies=False), "/whoami", headers={"Cookie": f"session={copied}"})
    return {
        "at_limit": at_limit,
        "past_limit": past_limit,
        "logout": logout,
        "replay": replay,
        "lifetime": m.app.permanent_session_lifetime.total_seconds(),
        "hour_error": hour_error,
        "flow": flow,
        "cart": cart_steps,
        "permanent": perm_steps,
    }


def check_inside_cookie(m):
    c = m.app.test_client()
    s = step(c, "/login")
    value = cookie_value(c.get("/login"))
    big = {"cart": [f"item-{i}" for i in range(20)]}
    with m.app.app_context():
        compressed = m.serializer_like_flask("dev").dumps(big)
    return {
        "login": s,
        "value": value,
        "peek": m.peek(value),
        "signed_at": m.signed_at(value),
        "loads": m.serializer_like_flask("dev").loads(value),
        "compressed": compressed,
        "peek_compressed": m.peek(compressed),
    }


def check_secret_key(m):
    os.environ.pop("FLASK_SECRET_KEY", None)
    sys.modules.pop("secret_key", None)
    try:
        importlib.import_module("secret_key")
        missing = None
    except KeyError as e:
        missing = str(e)
    os.environ["FLASK_SECRET_KEY"] = "a" * 64
    sys.modules.pop("secret_key", None)
    first = importlib.import_module("secret_key")
    c = first.app.test_client()
    step(c, "/visit")
    value = cookie_value(c.get("/visit"))
    # a second worker process started with the same environment
    sys.modules.pop("secret_key", None)
    second = importlib.import_module("secret_key")
    other = second.app.test_client(use_cookies=False)
    return {
        "missing": missing,
        "second_worker": step(other, "/visit", headers={"Cookie": f"session={value}"}),
    }


def check_crack_secret(m):
    from flask import Flask, session

    app = Flask(__name__)
    app.secret_key = "sunshine"

    @app.get("/")
    def index():
        session["user"] = "alice"
        session["admin"] = False
        return "hi"

    @app.get("/admin")
    def admin():
        return "welcome, admin" if session.get("admin") else "forbidden"

    c = app.test_client()
    value = cookie_value(c.get("/"))
    wordlist = ["123456", "password", "dev", "secret", "sunshine", "qwerty"]
    found = m.crack(value, wordlist)
    not_found = m.crack(value, ["123456", "password"])
    with app.app_context():
        forged = m.forge(found, {"user": "alice", "admin": True})
    attacker = app.test_client(use_cookies=False)
    return {
        "found": found,
        "not_found": not_found,
        "honest": step(attacker, "/admin", headers={"Cookie": f"session={value}"}),
        "forged": step(attacker, "/admin", headers={"Cookie": f"session={forged}"}),
    }


def check_key_rotation(m):
    from flask import Flask, session

    @m.app.get("/touch")
    def touch():
        session["touched"] = True
        return session.get("user", "nobody")

    old = Flask(__name__)
    old.secret_key = "key-2025-a"

    @old.get("/login")
    def login():
        session["user"] = "alice"
        return "ok"

    old_cookie = cookie_value(old.test_client().get("/login"))
    c = m.app.test_client(use_cookies=False)
    retired = Flask(__name__)
    retired.secret_key = "key-2024"
    retired.add_url_rule("/login", view_func=login)
    retired_cookie = cookie_value(retired.test_client().get("/login"))
    reissued_by = type(m.app.session_interface).__name__
    return {
        "old_key": step(c, "/whoami", headers={"Cookie": f"session={old_cookie}"}),
        "retired_key": step(c, "/whoami", headers={"Cookie": f"session={retired_cookie}"}),
        "interface": reissued_by,
        "new_cookie_equals_new_key": _resign_matches(m, old_cookie),
    }


def _resign_matches(m, old_cookie):
    """Whatever the app signs verifies under SECRET_KEY alone: fallbacks are only read."""
    from flask.sessions import SecureCookieSessionInterface

    c = m.app.test_client(use_cookies=False)
    new_cookie = cookie_value(c.get("/touch", headers={"Cookie": f"session={old_cookie}"}))
    from flask import Flask

    only_new = Flask(__name__)
    only_new.secret_key = "key-2025-b"
    with only_new.app_context():
        s = SecureCookieSessionInterface().get_signing_serializer(only_new)
        return s.loads(new_cookie) if new_cookie else None


def check_too_big(m):
    import secrets

    def visit(route):
        client = m.app.test_client()
        sizes, warned = [], None
        for _ in range(400):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                resp = client.get(f"/{route}/{secrets.token_hex(8)}")
            header = resp.headers.getlist("Set-Cookie")[0]
            sizes.append(len(header))
            if warned is None and caught:
                warned = {"message": str(caught[0].message), "category": caught[0].category.__name__,
                          "still_sent": header.startswith("session=")}
        return {"max_size": max(sizes), "warning": warned, "body": resp.get_data(as_text=True)}

    return {"unbounded": visit("read-unbounded"), "bounded": visit("read"), "limit": m.app.config["MAX_COOKIE_SIZE"]}


def check_revocable(m):
    browser = m.app.test_client()
    step(browser, "/login/alice")
    stolen = cookie_value(browser.get("/login/alice"))
    thief = m.app.test_client(use_cookies=False)
    before = step(thief, "/whoami", headers={"Cookie": f"session={stolen}"})
    logout = step(browser, "/logout")
    after = step(thief, "/whoami", headers={"Cookie": f"session={stolen}"})
    again = m.app.test_client()
    relogin = [step(again, "/login/alice"), step(again, "/whoami")]
    return {"before": before, "logout": logout, "after": after, "relogin": relogin}


if __name__ == "__main__":
    name = sys.argv[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        module = None if name == "secret_key" else importlib.import_module(name)
        result = globals()["check_" + name](module)
    import flask

    result["flask_version"] = flask.__version__
    print(json.dumps(result, sort_keys=True))
