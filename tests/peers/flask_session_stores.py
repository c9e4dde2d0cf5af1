"""A real Flask-Session 0.8 app on the SQL (SQLite) or file store, driven by the TypeScript tests.

Reads one JSON object per line on stdin and answers each with one line (one process serves a whole test file,
since starting Python and importing SQLAlchemy costs far more than a request): {"type": "sqlalchemy" | "filesystem", "path": ..., "secret": ...,
"lifetime": seconds, "steps": [{"path": "/set?key=a&value=b", "cookie": "session=..." | null}, ...]}
and prints {"steps": [{"status", "set_cookie", "body"}], "store": [...]}, where "store" describes every
stored session as Python reads it: its key, its data, and whether re-encoding what Python decoded gives
the stored bytes back (so the bytes another program wrote are exactly what Python itself would write).
"""
import json
import os
import pickle
import struct
import sys
import warnings
from datetime import timedelta

warnings.simplefilter("ignore")

from flask import Flask, request, session  # noqa: E402
from flask_session import Session  # noqa: E402


def build(spec):
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=spec["secret"],
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=spec.get("lifetime", 2678400)),
        SESSION_TYPE=spec["type"],
    )
    db = None
    if spec["type"] == "sqlalchemy":
        from flask_sqlalchemy import SQLAlchemy

        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + spec["path"]
        db = SQLAlchemy(app)
        app.config["SESSION_SQLALCHEMY"] = db
    else:
        app.config["SESSION_FILE_DIR"] = spec["path"]
    Session(app)

    @app.route("/set")
    def set_():
        session[request.args["key"]] = request.args["value"]
        return "ok"

    @app.route("/get")
    def get():
        return repr(session.get(request.args["key"]))

    @app.route("/dump")
    def dump():
        return json.dumps(dict(session), sort_keys=True)

    @app.route("/clear")
    def clear():
        session.clear()
        return "cleared"

    @app.route("/regenerate")
    def regenerate():
        app.session_interface.regenerate(session)
        return "regenerated"

    @app.route("/cleanup")
    def cleanup():
        app.session_interface._delete_expired_sessions()
        return "cleaned"

    return app, db


def describe_store(spec, app, db):
    out = []
    if spec["type"] == "sqlalchemy":
        import msgspec

        with app.app_context():
            rows = db.session.execute(db.text("SELECT session_id, data, expiry FROM sessions ORDER BY id")).all()
        for sid, data, expiry in rows:
            decoded = msgspec.msgpack.decode(data)
            out.append({"key": sid, "data": decoded, "expiry": str(expiry), "same_bytes": msgspec.msgpack.encode(decoded) == data})
    else:
        from cachelib.file import FileSystemCache

        counter = FileSystemCache._get_filename(FileSystemCache(spec["path"], threshold=0), "__wz_cache_count").split(os.sep)[-1]
        for name in sorted(os.listdir(spec["path"])):
            with open(os.path.join(spec["path"], name), "rb") as f:
                raw = f.read()
            (expires,) = struct.unpack("I", raw[:4])
            value = pickle.loads(raw[4:])
            out.append({"key": "count" if name == counter else name, "data": value, "expiry": expires, "same_bytes": pickle.dumps(value, pickle.HIGHEST_PROTOCOL) == raw[4:]})
    return out


def run(spec):
    app, db = build(spec)
    client = app.test_client(use_cookies=False)
    results = []
    for step in spec["steps"]:
        headers = {"Cookie": step["cookie"]} if step.get("cookie") else {}
        r = client.get(step["path"], headers=headers)
        results.append({"status": r.status_code, "set_cookie": r.headers.get("Set-Cookie"), "body": r.get_data(as_text=True)})
    out = {"steps": results, "store": describe_store(spec, app, db)}
    if db is not None:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return out


def main():
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(json.loads(line))), flush=True)


main()
