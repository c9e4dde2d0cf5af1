import secrets

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer
from werkzeug.datastructures import CallbackDict


class MemorySession(CallbackDict, SessionMixin):
    """The session dict: remembers its id, and sets `modified` whenever it is changed."""

    def __init__(self, initial=None, sid=None):
        def on_update(d):
            d.modified = True

        super().__init__(initial, on_update)
        self.sid = sid or secrets.token_urlsafe(32)
        self.modified = False


class MemorySessionInterface(SessionInterface):
    """Keeps each session's data in self.store (id -> dict); the cookie holds only the signed id."""

    def __init__(self):
        self.store = {}

    def signer(self, app):
        return Signer(app.secret_key, salt="memory-session")

    def _sid(self, app, request):
        try:
            return self.signer(app).unsign(request.cookies[self.get_cookie_name(app)]).decode()
        except (KeyError, BadSignature):
            return None

    def open_session(self, app, request):
        sid = self._sid(app, request)
        if sid in self.store:
            return MemorySession(self.store[sid], sid=sid)
        return MemorySession()

    def save_session(self, app, session, response):
        cookie = dict(key=self.get_cookie_name(app), domain=self.get_cookie_domain(app), path=self.get_cookie_path(app))
        if len(session) == 0:
            if session.modified:
                if session.sid in self.store:
                    del self.store[session.sid]
                response.delete_cookie(**cookie)
            return
        if session.modified or self.should_set_cookie(app, session):
            self.store[session.sid] = {**session}
            response.set_cookie(value=self.signer(app).sign(session.sid.encode()).decode(), httponly=True, **cookie)


app = Flask(__name__)
app.secret_key = "change me before you deploy"
app.session_interface = MemorySessionInterface()


@app.post("/login/<name>")
def login(name):
    session["user"] = name
    return "hello " + name


@app.post("/note/<text>")
def note(text):
    session["note"] = text
    return "noted"


@app.get("/me")
def me():
    return {"user": session.get("user"), "note": session.get("note")}


@app.post("/logout")
def logout():
    session.clear()
    return "bye"
