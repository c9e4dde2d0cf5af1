"""Lesson 5: the same interface with every flaw corrected, storing sessions in Redis.

Any client with get, set(key, value, ex=seconds) and delete works as the store: redis.Redis, a
redis.cluster.RedisCluster, or a test double.
"""
import json
import os
import uuid

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer
from redis import Redis
from werkzeug.datastructures import CallbackDict


class StoredSession(CallbackDict, SessionMixin):
    """A dict that notices writes (modified) and reads (accessed), like Flask's own session."""

    def __init__(self, initial=None, sid=None):
        def on_update(self):
            self.modified = True
            self.accessed = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.modified = False
        self.accessed = False

    def __getitem__(self, key):
        self.accessed = True
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.accessed = True
        return super().get(key, default)


class FixedSessionInterface(SessionInterface):
    session_class = StoredSession

    def __init__(self, store, key_prefix="session:"):
        self.store = store            # shared by every worker: the data outlives any one process
        self.key_prefix = key_prefix

    def _signer(self, app):
        return Signer(app.secret_key, salt="flask-session", key_derivation="hmac")

    def _new(self):
        return self.session_class(sid=str(uuid.uuid4()))

    def open_session(self, app, request):
        if not app.secret_key:
            return None               # Flask's NullSession then says clearly that the key is missing
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self._new()
        try:
            sid = self._signer(app).unsign(cookie).decode()
        except BadSignature:
            return self._new()
        raw = self.store.get(self.key_prefix + sid)
        if raw is None:
            return self._new()        # expired or unknown: never adopt an id the client chose
        return self.session_class(json.loads(raw), sid=sid)  # a broken value raises: we want to see it

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        key = self.key_prefix + session.sid
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:      # emptied in this request: forget it on both sides
                self.store.delete(key)
                response.delete_cookie(
                    name, domain=domain, path=path,
                    secure=self.get_cookie_secure(app),
                    httponly=self.get_cookie_httponly(app),
                    samesite=self.get_cookie_samesite(app),
                )
            return                    # an untouched visitor costs no storage
        if not (session.modified or app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return
        ttl = int(app.permanent_session_lifetime.total_seconds())
        self.store.set(key, json.dumps(dict(session)), ex=ttl)  # assignment, with an expiry
        if not self.should_set_cookie(app, session):
            return
        response.set_cookie(
            name,
            self._signer(app).sign(session.sid.encode()).decode(),
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")


app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "change-me")
app.session_interface = FixedSessionInterface(
    Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
)


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
    return "hello"
