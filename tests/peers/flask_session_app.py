"""The demo playground on a real Flask with Flask-Session on Redis (or Flask's own signed cookie), served on
loopback, for the live-server interop tests and the load benchmark. It runs under either judge: Debian 12's
Flask 2.2.2 + Flask-Session 0.3.2 (pickle) with /usr/bin/python3, or Debian 13's Flask 3.1.1 + Flask-Session
0.8.0 (msgspec msgpack) in its root (see tests/support/judges.ts).

Run with /usr/bin/python3 (Werkzeug's make_server), or import `app` from gunicorn
(`gunicorn --chdir tests/peers flask_session_app:app`). Configuration comes from the environment:

  SECRET_KEY        required
  SESSION_MODE      redis (default: Flask-Session, SESSION_TYPE=redis) or cookie (Flask's signed cookie)
  REDIS_URL         redis://host:port/db for SESSION_REDIS (default redis://127.0.0.1:6379/0)
  KEY_PREFIX        SESSION_KEY_PREFIX (default session:)
  USE_SIGNER        1 for SESSION_USE_SIGNER
  LIFETIME          PERMANENT_SESSION_LIFETIME in seconds (default 2678400)
  PORT              for make_server (default 0, any free port)

Run directly, it prints one line `PORT <n>` once it listens and exits as soon as its stdin closes.

Routes (GET), the same as the TypeScript demo app (src/server/demo-apps.ts):
  /set?key=K&value=V   session[K] = V (a string), answers "ok"
  /set?key=K&tagged=T  session[K] = the value T gives in Flask's tagged JSON (session_json_serializer.loads),
                       e.g. 2.0, {" b":"AAEC/w=="}, {" d":"Mon, 01 Jan 2024 00:00:00 GMT"}; 400 when T is not one
  /get?key=K           str(session[K]), or 404 "missing"
  /dump                Flask's tagged JSON of dict(session), keys sorted
  /clear               session.clear(), answers "ok"
"""

import os
import sys
import warnings
from datetime import timedelta

from flask import Flask, request, session
from flask.sessions import session_json_serializer

# Flask-Session 0.3.2 reads app.session_cookie_name, deprecated in Flask 2.2 (a warning per request);
# 0.8.0 warns that SESSION_USE_SIGNER is deprecated.
warnings.filterwarnings("ignore", category=DeprecationWarning)

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=int(os.environ.get("LIFETIME", "2678400")))

if os.environ.get("SESSION_MODE", "redis") == "redis":
    import redis
    from flask_session import Session

    app.config["SESSION_TYPE"] = "redis"
    app.config["SESSION_REDIS"] = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    app.config["SESSION_KEY_PREFIX"] = os.environ.get("KEY_PREFIX", "session:")
    app.config["SESSION_USE_SIGNER"] = os.environ.get("USE_SIGNER", "") == "1"
    Session(app)


def _text(body, status=200):
    return body, status, {"Content-Type": "text/plain; charset=utf-8"}


@app.route("/set")
def set_value():
    key = request.args.get("key")
    if not key:
        return _text("missing query parameter: key\n", 400)
    tagged = request.args.get("tagged")
    if tagged is None:
        session[key] = request.args.get("value", "")
        return _text("ok")
    if "value" in request.args:
        return _text("give value or tagged, not both\n", 400)
    try:
        value = session_json_serializer.loads(tagged)
    except Exception as e:  # noqa: BLE001 - any parse failure is the client's
        return _text(f"tagged is not Flask's tagged JSON: {type(e).__name__}: {e}\n", 400)
    session[key] = value
    return _text("ok")


@app.route("/get")
def get_value():
    key = request.args.get("key")
    if not key:
        return _text("missing query parameter: key\n", 400)
    if key not in session:
        return _text("missing", 404)
    return _text(str(session[key]))


@app.route("/dump")
def dump():
    return _text(session_json_serializer.dumps(dict(session)))


@app.route("/clear")
def clear():
    session.clear()
    return _text("ok")


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from loopback import serve

    serve(app)


if __name__ == "__main__":
    main()
