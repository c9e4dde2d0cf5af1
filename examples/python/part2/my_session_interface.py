"""Lesson 5: the MySessionInterface that Flask tutorials pass around, rebuilt with its flaws kept.

Two lines differ from the posts so that it runs on current Flask: the cookie name comes from
app.config["SESSION_COOKIE_NAME"] (app.session_cookie_name was removed in Flask 2.3), and the signed
id is decoded to str before set_cookie (Werkzeug 3 refuses bytes there). The posts also open a
redis.Redis() connection they never use; it is left out.
"""
import json
import uuid

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer


class MySession(dict, SessionMixin):
    """A plain dict with an id. It tracks no changes, so `modified` is always True."""

    def __init__(self, initial=None, sid=None):
        super().__init__(initial or ())
        self.sid = sid


class MySessionInterface(SessionInterface):
    session_class = MySession
    # Flaw 3: a class attribute, so one dict per worker process, emptied by every restart.
    container = {}

    def _generate_sid(self):
        return str(uuid.uuid4())

    def _get_signer(self, app):
        if not app.secret_key:
            return None  # Flaw 4: both callers use the result without checking for None.
        return Signer(app.secret_key, salt="flask-session", key_derivation="hmac")

    def open_session(self, app, request):
        sid = request.cookies.get(app.config["SESSION_COOKIE_NAME"])
        if not sid:
            return self.session_class(sid=self._generate_sid())
        try:
            sid = self._get_signer(app).unsign(sid).decode()
        except BadSignature:
            return self.session_class(sid=self._generate_sid())
        val = self.container.get(sid)
        if val is not None:
            try:
                return self.session_class(json.loads(val), sid=sid)
            except:  # noqa: E722  (the posts' bare except hides every error)
                return self.session_class(sid=sid)
        return self.session_class(sid=sid)

    def save_session(self, app, session, response):
        val = json.dumps(dict(session))
        # Flaw 1: setdefault inserts the first value for an id and ignores every later one.
        # Flaw 2: nothing here ever expires or deletes an entry, not even after session.clear().
        self.container.setdefault(session.sid, val)
        signed = self._get_signer(app).sign(session.sid.encode()).decode()
        response.set_cookie(
            app.config["SESSION_COOKIE_NAME"],
            signed,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
        )


app = Flask(__name__)
app.secret_key = "A0Zr98j/3yX R~XHH!jmN]LWX/,?RT"  # the posts' key: never reuse a published one
app.session_interface = MySessionInterface()


@app.get("/count")
def count():
    session["n"] = session.get("n", 0) + 1
    return str(session["n"])


@app.get("/login")
def login():
    session["user"] = "alex"
    return "logged in as alex"


@app.get("/who")
def who():
    return session.get("user", "nobody")


@app.get("/logout")
def logout():
    session.clear()
    return "logged out"


@app.get("/hello")
def hello():
    return "hello"  # never touches the session
