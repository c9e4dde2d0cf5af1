import json
import time
import uuid
from datetime import timedelta

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer, want_bytes


class MySession(dict, SessionMixin):
    def __init__(self, initial=None, sid=None):
        self.sid = sid
        self.initial = initial
        super(MySession, self).__init__(initial or ())


class MySessionInterface(SessionInterface):
    session_class = MySession

    def __init__(self):
        self.container = {}
        self.expiry = {}

    def _generate_sid(self):
        return str(uuid.uuid4())

    def _get_signer(self, app):
        if not app.secret_key:
            return None
        return Signer(app.secret_key, salt="flask-session", key_derivation="hmac")

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            sid = self._generate_sid()
            return self.session_class(sid=sid)
        signer = self._get_signer(app)
        try:
            sid_as_bytes = signer.unsign(sid)
            sid = sid_as_bytes.decode()
        except BadSignature:
            sid = self._generate_sid()
            return self.session_class(sid=sid)
        if self.expiry.get(sid, 0) < time.time():
            self.container.pop(sid, None)
            self.expiry.pop(sid, None)
            return self.session_class(sid=self._generate_sid())
        val = self.container.get(sid)
        if val is not None:
            try:
                data = json.loads(val)
                return self.session_class(data, sid=sid)
            except ValueError:
                return self.session_class(sid=sid)
        return self.session_class(sid=sid)

    def save_session(self, app, session, response):
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        httponly = self.get_cookie_httponly(app)
        secure = self.get_cookie_secure(app)
        expires = self.get_expiration_time(app, session)
        response.headers.add("Vary", "Cookie")
        if len(session) == 0:
            self.container.pop(session.sid, None)
            self.expiry.pop(session.sid, None)
            response.delete_cookie(self.get_cookie_name(app), domain=domain, path=path)
            return
        val = json.dumps(dict(session))
        self.container[session.sid] = val
        self.expiry[session.sid] = time.time() + app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
        session_id = self._get_signer(app).sign(want_bytes(session.sid))
        response.set_cookie(self.get_cookie_name(app), session_id.decode(),
                            expires=expires, httponly=httponly,
                            domain=domain, path=path, secure=secure)


app = Flask(__name__)
app.secret_key = "A0Zr98j/3yX R~XHH!jmN]LWX/,?RT"
app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=1)
app.session_interface = MySessionInterface()


@app.post("/login/<name>")
def login(name):
    session["user"] = name
    return "hello " + name


@app.get("/me")
def me():
    return {"user": session.get("user")}


@app.post("/logout")
def logout():
    session.clear()
    return "bye"
