import json
import secrets
import time
from datetime import timedelta

from flask import Flask, make_response, session
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict


class TTLStore:
    """A small in-memory key-value store with expiring keys: the four Redis commands this app needs
    (SETEX, GET, DELETE, TTL), in pure Python, so it runs in the browser. It is not Redis."""

    def __init__(self):
        self._data = {}

    def setex(self, key, seconds, value):
        self._data[key] = (time.time() + seconds, value)

    def get(self, key):
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[0] <= time.time():
            del self._data[key]
            return None
        return entry[1]

    def delete(self, key):
        self._data.pop(key, None)

    def ttl(self, key):
        """Seconds left (rounded down), or -2 when the key does not exist, as Redis answers."""
        if self.get(key) is None:
            return -2
        return int(self._data[key][0] - time.time())

    def keys(self):
        return [k for k in list(self._data) if self.get(k) is not None]


class StoreSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid=None):
        def on_update(d):
            d.modified = True

        super().__init__(initial, on_update)
        self.sid = sid or secrets.token_urlsafe(32)
        self.modified = False


class StoreSessionInterface(SessionInterface):
    """Like Flask-Session's Redis interface: the cookie holds a random id, the store holds the data."""

    def __init__(self, store, key_prefix="session:"):
        self.store = store
        self.key_prefix = key_prefix

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid:
            raw = self.store.get(self.key_prefix + sid)
            if raw is not None:
                return StoreSession(json.loads(raw), sid=sid)
        # No cookie, or an id the store does not hold (never issued, expired, deleted): a fresh random id.
        return StoreSession()

    def regenerate(self, session):
        """Gives the session a new id, keeping its data; the old id must stop working."""
        old, session.sid = session.sid, secrets.token_urlsafe(48)
        self.store.delete(self.key_prefix + old)
        session.modified = True

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        if not session:
            if session.modified:
                self.store.delete(self.key_prefix + session.sid)
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not self.should_set_cookie(app, session):
            return
        # The store forgets the key by itself once the lifetime has passed, and each save starts it again.
        lifetime = int(app.permanent_session_lifetime.total_seconds())
        self.store.setex(self.key_prefix + session.sid, lifetime, json.dumps(dict(session)))
        response.set_cookie(name, session.sid, expires=self.get_expiration_time(app, session),
                            httponly=True, domain=domain, path=path, samesite="Lax")


app = Flask(__name__)
app.secret_key = "change me before you deploy"
app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
app.session_interface = StoreSessionInterface(TTLStore())


@app.get("/")
def home():
    # Every visitor gets a session at once (a cart, a CSRF token...), so ids exist before anyone logs in.
    session.setdefault("cart", [])
    return "welcome"


@app.post("/cart/<item>")
def add(item):
    session["cart"] = session.get("cart", []) + [item]
    return {"cart": session["cart"]}


@app.post("/login/<name>")
def login(name):
    session["user"] = name
    app.session_interface.regenerate(session)
    return "hello " + name


@app.get("/me")
def me():
    return {"user": session.get("user"), "cart": session.get("cart", [])}


@app.post("/logout")
def logout():
    for key in list(session):
        del session[key]
    return "bye"
