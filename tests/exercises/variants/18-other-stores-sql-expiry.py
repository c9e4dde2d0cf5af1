import json
import secrets
import time
from datetime import timedelta

from flask import Flask, jsonify, session
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict


class SessionTable:

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

    def _live_row(self, key):
        row = self.table.rows.get(key)
        if row is None:
            return None
        if time.time() < row["expiry"]:
            return row
        self.table.rows.pop(key)
        return None

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app), "")
        row = self._live_row(self.key_prefix + sid) if sid else None
        return TableSession(json.loads(row["data"]), sid) if row else TableSession()

    def save_session(self, app, session, response):
        key = self.key_prefix + session.sid
        if len(session) == 0 and session.modified:
            self.table.rows.pop(key, None)
            response.delete_cookie(self.get_cookie_name(app))
        elif len(session) > 0 and session.modified:
            self.table.rows[key] = {
                "data": json.dumps(dict(session)),
                "expiry": time.time() + app.permanent_session_lifetime / timedelta(seconds=1),
            }
            response.set_cookie(self.get_cookie_name(app), session.sid, httponly=True,
                                expires=self.get_expiration_time(app, session))

    def cleanup(self):
        now = time.time()
        keep = {key: row for key, row in self.table.rows.items() if row["expiry"] > now}
        removed = len(self.table.rows) - len(keep)
        self.table.rows.clear()
        self.table.rows.update(keep)
        return removed


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
