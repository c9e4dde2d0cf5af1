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
        # TODO: read the cookie, check its signature, and load the data stored under the id.
        return MemorySession()

    def save_session(self, app, session, response):
        # TODO: store the data and send the signed id; delete both when the session was emptied.
        pass


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
