import json
import secrets
import time
from datetime import timedelta

from flask import Flask, jsonify, session
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict


class SessionTable:
    """A table like Flask-Session's SQL store keeps: one row per session, (data, expiry). A dict stands in
    for the database so this runs in the browser; SQL would add no TTL either."""

    def __init__(self):
        self.rows = {}  # session_id -> {"data": JSON text, "expiry": Unix seconds}


class TableSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid=None):
        def on_update(d):
            d.modified = True

        super().__init__(initial, on_update)
        self.sid = sid or secrets.token_urlsafe(32)
        self.modified = False


class TableSessionInterface(SessionInterface):
    def __init__(self, table, key_prefix="session:"):
        self.table = table
        self.key_prefix = key_prefix

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid:
            key = self.key_prefix + sid
            row = self.table.rows.get(key)
            # SQL has no TTL: a row past its expiry is deleted here and counts as absent.
            if row is not None and row["expiry"] <= time.time():
                del self.table.rows[key]
                row = None
            if row is not None:
                return TableSession(json.loads(row["data"]), sid)
        return TableSession()

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        key = self.key_prefix + session.sid
        if not session:
            if session.modified:
                self.table.rows.pop(key, None)
                response.delete_cookie(name)
            return
        if session.modified:
            expiry = time.time() + app.permanent_session_lifetime.total_seconds()
            self.table.rows[key] = {"data": json.dumps(dict(session)), "expiry": expiry}
            response.set_cookie(name, session.sid, httponly=True, expires=self.get_expiration_time(app, session))

    def cleanup(self):
        """Deletes every expired row; returns how many. Run it from cron, as `flask session_cleanup`."""
        now = time.time()
        expired = [key for key, row in self.table.rows.items() if row["expiry"] <= now]
        for key in expired:
            del self.table.rows[key]
        return len(expired)


app = Flask(__name__)
app.permanent_session_lifetime = timedelta(hours=1)
app.session_interface = TableSessionInterface(SessionTable())


@app.post("/login/<name>")
def login(name):
    session.permanent = True
    session["user"] = name
    return jsonify(ok=True)


@app.get("/me")
def me():
    return jsonify(user=session.get("user"))
