"""Drives the lesson 5-8 examples (examples/python/part2/*.py) under either judge (Debian 12's Flask 2.2.2 +
Flask-Session 0.3.2, or Debian 13's Flask 3.1.1 + Flask-Session 0.8.0) and prints what it observed as JSON.
Run with the judge's python3: `part2_check_examples.py <name>`; the
examples that use Redis read REDIS_URL (the test starts a redis-server). Assertions live in
part2-python.test.ts; this script only reports facts.
"""
import importlib
import json
import logging
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "python", "part2"))
warnings.simplefilter("ignore", DeprecationWarning)
logging.disable(logging.CRITICAL)  # the no-secret-key case logs two tracebacks on purpose


def set_cookie(client, name, value):
    """Sets a cookie in a test client: Werkzeug 2.3 dropped the server_name first argument of 2.2."""
    import inspect

    if "server_name" in inspect.signature(client.set_cookie).parameters:
        client.set_cookie("localhost", name, value)
    else:
        client.set_cookie(name, value, domain="localhost")


def cookie(resp, name="session"):
    for h in resp.headers.getlist("Set-Cookie"):
        if h.startswith(name + "="):
            return h.split(";", 1)[0].split("=", 1)[1]
    return None


def step(client, path):
    r = client.get(path)
    return {"path": path, "status": r.status_code, "body": r.get_data(as_text=True), "set_cookie": r.headers.getlist("Set-Cookie"), "vary": r.headers.get("Vary")}


def check_my_session_interface():
    m = importlib.import_module("my_session_interface")
    iface = m.MySessionInterface
    c = m.app.test_client()
    counter = []
    for _ in range(4):
        s = step(c, "/count")
        counter.append({**s, "stored": sorted(iface.container.values())})
    iface.container.clear()
    c = m.app.test_client()
    login = step(c, "/login")
    logout = step(c, "/logout")
    after_logout = sorted(iface.container.values())
    visitors = [step(m.app.test_client(), "/hello") for _ in range(3)]
    entries = len(iface.container)
    # A second worker process: a fresh import has its own class, so its own container.
    iface.container.clear()
    browser = m.app.test_client()
    w1_login = step(browser, "/login")
    m2 = importlib.reload(m)
    other = m2.app.test_client()
    set_cookie(other, "session", cookie_value(w1_login))
    w2_who = step(other, "/who")
    # No secret key: save_session calls .sign on None.
    m2.app.secret_key = None
    no_key = step(m2.app.test_client(), "/hello")
    try:
        with m2.app.test_request_context("/hello"):
            sess = m2.app.session_interface.open_session(m2.app, flask_request())
            m2.app.session_interface.save_session(m2.app, sess, m2.app.response_class("x"))
        error = None
    except Exception as e:  # noqa: BLE001
        error = f"{type(e).__name__}: {e}"
    return {"counter": counter, "login": login, "logout": logout, "after_logout": after_logout, "visitors": visitors, "entries": entries, "w2_who": w2_who, "no_key_status": no_key["status"], "no_key_error": error}


def cookie_value(s):
    for h in s["set_cookie"]:
        if h.startswith("session="):
            return h.split(";", 1)[0].split("=", 1)[1]
    return None


def check_fixed_session_interface():
    m = importlib.import_module("fixed_session_interface")
    store = m.app.session_interface.store
    store.flushdb()
    c = m.app.test_client()
    counter = []
    for _ in range(4):
        s = step(c, "/count")
        keys = store.keys("session:*")
        counter.append({**s, "stored": [store.get(k).decode() for k in keys], "ttl": [store.ttl(k) for k in keys]})
    store.flushdb()
    c = m.app.test_client()
    flow = [step(c, p) for p in ["/hello", "/login", "/who", "/logout"]]
    keys_after = [k.decode() for k in store.keys("*")]
    visitors = [step(m.app.test_client(), "/hello") for _ in range(3)]
    # Two workers: two app objects sharing the one Redis.
    m2 = importlib.reload(m)
    browser = m.app.test_client()
    login = step(browser, "/login")
    other = m2.app.test_client()
    set_cookie(other, "session", cookie_value(login))
    w2_who = step(other, "/who")
    m2.app.secret_key = None
    m2.app.testing = True
    try:
        m2.app.test_client().get("/login")
        error = None
    except Exception as e:  # noqa: BLE001
        error = f"{type(e).__name__}: {e}"
    return {"counter": counter, "flow": flow, "keys_after": keys_after, "visitors": visitors, "w2_who": w2_who, "no_key_error": error}


def check_flask_session_redis():
    import flask_session

    m = importlib.import_module("flask_session_redis")
    r = m.app.config["SESSION_REDIS"]
    r.flushdb()
    c = m.app.test_client()
    anon = step(c, "/index")
    keys_anon = sorted(k.decode() for k in r.keys("*"))
    r.flushdb()
    c = m.app.test_client()
    login = step(c, "/login")
    key = r.keys("*")[0].decode()
    ttl = r.ttl(key)
    raw = r.get(key)
    index = step(c, "/index")
    logout = step(c, "/logout")
    keys_after = [k.decode() for k in r.keys("*")]
    return {"version": getattr(flask_session, "__version__", "?"), "anon": anon, "keys_anon": keys_anon, "login": login, "key": key, "ttl": ttl, "raw_hex": raw.hex(), "index": index, "logout": logout, "keys_after": keys_after, "interface": type(m.app.session_interface).__name__}


def check_login_regenerate():
    m = importlib.import_module("login_regenerate")
    r = m.app.config["SESSION_REDIS"]
    out = {}
    for route in ["/login-unsafe", "/login"]:
        r.flushdb()
        attacker = m.app.test_client()
        planted = cookie_value(step(attacker, "/cart/add"))
        victim = m.app.test_client()
        set_cookie(victim, "session", planted)
        login = step(victim, route)
        attacker_sees = step(attacker, "/whoami")
        victim_sees = step(victim, "/whoami")
        out[route] = {"planted": planted, "login": login, "attacker": attacker_sees["body"], "victim": victim_sees["body"], "keys": sorted(k.decode() for k in r.keys("*"))}
    # Revocation: a cookie copied before logout no longer works after it.
    r.flushdb()
    c = m.app.test_client()
    login = step(c, "/login")
    copied = cookie_value(login)
    step(c, "/logout")
    thief = m.app.test_client()
    set_cookie(thief, "session", copied)
    out["replay"] = step(thief, "/whoami")["body"]
    return out


def check_pickle_danger():
    import pickle
    import pickletools
    import platform

    m = importlib.import_module("pickle_danger")
    ops = [{"offset": pos, "name": op.name} for op, arg, pos in pickletools.genops(m.payload)]
    # What Flask-Session 0.3.2 does with such a value: pickle.loads runs the call.
    loaded = pickle.loads(m.payload)
    return {"hex": m.payload.hex(), "ops": ops, "loaded": loaded, "python": platform.python_version()}


def check_keyslot():
    from redis.crc import key_slot as redis_py_slot

    m = importlib.import_module("keyslot")
    keys = json.loads(sys.stdin.read() or "[]")
    return {"slots": [m.key_slot(k) for k in keys], "redis_py": [redis_py_slot(k.encode()) for k in keys]}


def check_cluster_sessions():
    m = importlib.import_module("cluster_sessions")
    users = [f"user{i}" for i in range(12)]
    who = []
    for u in users:
        c = m.app.test_client()
        step(c, f"/login/{u}")
        who.append(step(c, "/who")["body"])
    # Which node holds each key: ask every master for its keys.
    placement = {}
    for node in m.cluster.get_primaries():
        client = m.cluster.get_redis_connection(node)
        for k in client.keys("session:*"):
            placement[k.decode()] = node.port
    slots = {k: m.cluster.keyslot(k) for k in placement}
    return {"who": who, "users": users, "placement": placement, "slots": slots}


def check_lesson6_demos():
    """The situations lesson 6 computes with the engine (flask-session-redis.ts), on the real Flask-Session: each
    request's Redis commands (as [command, key, ttl, value length]), status and cookie headers."""
    import flask_session
    import redis
    from flask import Flask, session

    class Recording(redis.Redis):
        log = []

        def get(self, name):
            v = super().get(name)
            Recording.log.append(["GET", name, None, None if v is None else len(v)])
            return v

        def set(self, name, value, ex=None, **kw):
            Recording.log.append(["SET", name, int(ex.total_seconds()) if hasattr(ex, "total_seconds") else ex, len(value)])
            return super().set(name, value, ex=ex, **kw)

        def setex(self, name, time, value):
            Recording.log.append(["SETEX", name, int(time.total_seconds()) if hasattr(time, "total_seconds") else int(time), len(value)])
            return super().setex(name, time, value)

        def delete(self, *names):
            n = super().delete(*names)
            Recording.log.append(["DEL", names[0], None, n])
            return n

    url = os.environ["REDIS_URL"]

    def make(**config):
        client = Recording.from_url(url)
        client.flushdb()
        app = Flask(__name__)
        app.config.update(SECRET_KEY="change-me", SESSION_REDIS=client, **config)

        @app.get("/login")
        def login():
            session["user"] = "guhanzhe"
            return "logged in"

        @app.get("/index")
        def index():
            return f"hello {session.get('user', 'stranger')}"

        @app.get("/logout")
        def logout():
            session.clear()
            return "logged out"

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            flask_session.Session(app)
        return app, client, [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, DeprecationWarning) and "use_signer" in str(w.message)]

    def row(client, path):
        Recording.log.clear()
        r = client.get(path)
        return {"status": r.status_code, "body": r.get_data(as_text=True), "commands": [list(c) for c in Recording.log], "set_cookie": r.headers.getlist("Set-Cookie"), "vary": r.headers.get("Vary")}

    def keys(client):
        return sorted(k.decode() for k in client.keys("*"))

    out = {"version": flask_session.__version__ if hasattr(flask_session, "__version__") else "?"}
    app, store, _ = make(SESSION_TYPE="redis")
    c = app.test_client()
    out["compare"] = [row(c, p) for p in ["/index", "/login", "/index", "/logout"]]
    store.flushdb()
    for _ in range(3):
        row(app.test_client(), "/index")
    out["visitor_keys"] = len(keys(store))
    app, store, _ = make(SESSION_TYPE="redis", SESSION_PERMANENT=False)
    c = app.test_client()
    out["non_permanent"] = [row(c, p) for p in ["/login", "/index"]]
    out["non_permanent_ttl"] = [store.ttl(k) for k in keys(store)]
    app, store, warned = make(SESSION_TYPE="redis", SESSION_USE_SIGNER=True)
    out["signed"] = row(app.test_client(), "/login")
    out["signed_keys"] = keys(store)
    out["signer_warnings"] = warned
    app, store, _ = make(SESSION_TYPE="redis")
    planted = app.test_client()
    set_cookie(planted, "session", "chosen-by-attacker")
    out["unknown_id"] = row(planted, "/login")
    out["unknown_id_keys"] = keys(store)
    try:
        app, store, _ = make()
        out["no_type_interface"] = type(app.session_interface).__name__
        app.testing = False
        out["no_type_login"] = row(app.test_client(), "/login")
        out["no_type_error"] = None
    except Exception as e:  # noqa: BLE001
        out["no_type_error"] = f"{type(e).__name__}: {e}"
    return out


def check_cluster_client():
    """Flask-Session given a RedisCluster client as SESSION_REDIS (lesson 8): what it warns and what it connects to."""
    import flask_session
    import redis
    from flask import Flask
    from redis.cluster import RedisCluster

    app = Flask(__name__)
    cluster = RedisCluster.from_url(os.environ["REDIS_CLUSTER_URL"])
    app.config.update(SECRET_KEY="change-me", SESSION_TYPE="redis", SESSION_REDIS=cluster)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flask_session.Session(app)
    si = app.session_interface
    client = getattr(si, "client", None) or getattr(si, "redis", None)
    kwargs = client.connection_pool.connection_kwargs if client is not cluster else {}
    return {
        "version": getattr(flask_session, "__version__", "?"),
        "is_redis_subclass": issubclass(RedisCluster, redis.Redis),
        "client_is_the_cluster": client is cluster,
        "client_class": type(client).__name__,
        "host": kwargs.get("host"),
        "port": kwargs.get("port"),
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, RuntimeWarning)],
    }


def flask_request():
    from flask import request

    return request


if __name__ == "__main__":
    name = sys.argv[1]
    print(json.dumps(globals()[f"check_{name}"]()))
