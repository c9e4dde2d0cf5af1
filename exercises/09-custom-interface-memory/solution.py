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

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return MemorySession()
        try:
            sid = self.signer(app).unsign(value).decode()
        except BadSignature:
            # A forged or damaged cookie: start afresh with a new id rather than adopt the one sent.
            return MemorySession()
        data = self.store.get(sid)
        if data is None:
            # An id this server does not hold (expired, deleted, never issued): a new id too.
            return MemorySession()
        return MemorySession(data, sid=sid)

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if not session:
            if session.modified:
                self.store.pop(session.sid, None)
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not self.should_set_cookie(app, session):
            return
        self.store[session.sid] = dict(session)
        response.set_cookie(
            name,
            self.signer(app).sign(session.sid).decode(),
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )


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
