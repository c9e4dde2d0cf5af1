"""Lab 2, replay after logout, as a real Flask app (run by exercises/_runner/flasklab_labs.py in Pyodide).

Vulnerable: Flask's signed cookie session, so logging out only asks the browser to drop its cookie; a copy of the
cookie made before stays valid for the rest of its 31 days. Fixed: a server-side session interface of our own
(below), pure Python over a dict, because Flask-Session 0.8 needs msgspec, which Pyodide cannot load: the cookie
holds only an id, and logout empties the session, which deletes its record, so a copied id opens nothing. It keeps
Flask-Session 0.8's rules that matter here (a new random id for an unknown one, the record deleted when the
session is emptied), and its ids come from the seed as the engine's version draws them.
The goal, observed by the app: /account served as dana to a request that is not the victim's own, after dana
logged out. Keys, passwords and ids derive from the seed as in src/labs/replay-after-logout/app.ts.
"""

from datetime import datetime, timezone

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from flasklab_labs import form_value, redirect, text

SLUG = "replay-after-logout"
VICTIM = "dana"


def accounts(lab):
    """user -> password: the learner's guest/guest and the victim, whose password is drawn from the seed."""
    return {"guest": "guest", VICTIM: lab.seeded(SLUG + "/password").hex(12)}


def victim_note(lab):
    return "order #%d" % (int(lab.seeded(SLUG + "/note").hex(3), 16) % 900000 + 100000)


class StoreSession(CallbackDict, SessionMixin):
    """A session whose data lives on the server under ``sid``; it notes reads (``accessed``) and writes."""

    def __init__(self, initial=None, sid=""):
        def on_update(s):
            s.modified = True
            s.accessed = True

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

    def setdefault(self, key, default=None):
        self.accessed = True
        return super().setdefault(key, default)

    def clear(self):
        # Emptying keeps the permanent flag, as Flask-Session does; the session then counts as empty.
        permanent = super().get("_permanent", False)
        super().clear()
        self["_permanent"] = permanent

    def is_empty(self):
        return all(k == "_permanent" for k in self.keys())


class MemoryStoreSessionInterface(SessionInterface):
    """Server-side sessions in a dict: the cookie carries a random id, the data stays here for 31 days."""

    def __init__(self, lab):
        self.lab = lab
        self.sids = lab.seeded(SLUG + "/sid")
        self.store = {}

    def _fresh(self):
        s = StoreSession(sid=self.sids.token_urlsafe(32))
        s["_permanent"] = True
        s.modified = False
        s.accessed = False
        return s

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            return self._fresh()
        record = self.store.get(sid)
        if record is None or record[1] <= self.lab.now:
            # An id the store does not know gets a new one: a made-up id is never adopted.
            return self._fresh()
        return StoreSession(dict(record[0]), sid)

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        if session.is_empty():
            if session.modified:
                self.store.pop(session.sid, None)
                response.delete_cookie(name, domain=domain, path=path)
                response.vary.add("Cookie")
            return
        lifetime = int(app.permanent_session_lifetime.total_seconds())
        if not (session.modified or app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return
        self.store[session.sid] = (dict(session), self.lab.now + lifetime)
        if not self.should_set_cookie(app, session):
            return
        response.set_cookie(
            name,
            session.sid,
            expires=datetime.fromtimestamp(self.lab.now + lifetime, timezone.utc),
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")


def create(lab):
    prefix = lab.prefix
    users = accounts(lab)
    app = Flask("flasklab_lab_replay_after_logout", root_path="/labs/" + SLUG)
    app.config.update(SECRET_KEY=lab.seeded(SLUG + "/key").hex(32), SESSION_COOKIE_PATH=prefix or "/")
    if lab.mode == "fixed":
        app.session_interface = MemoryStoreSessionInterface(lab)
    logged_out = set()

    @app.route("/")
    def index():
        kind = "a server-side store" if lab.mode == "fixed" else "Flask's signed cookie"
        return text(
            "\n".join(
                [
                    "Lab 2: replay after logout (%s). Routes:" % kind,
                    "  GET or POST %s/login   user=…&password=… (your account: guest / guest)" % prefix,
                    "  GET %s/account         your account page" % prefix,
                    "  GET %s/logout          log out" % prefix,
                ]
            )
        )

    @app.route("/login", methods=["GET", "POST"])
    def login():
        from flask import request

        user = form_value(request, "user") or ""
        password = form_value(request, "password") or ""
        if user not in users or users[user] != password:
            return text("Wrong user name or password.", 401)
        session["user"] = user
        logged_out.discard(user)
        return redirect("%s/account" % prefix)

    @app.route("/account")
    def account():
        user = session.get("user")
        if not isinstance(user, str):
            return text("Not logged in.", 401)
        note = "Private note: %s." % victim_note(lab) if user == VICTIM else "No notes."
        if user == VICTIM and lab.client == "learner" and VICTIM in logged_out:
            lab.reach_goal()
            return text("Logged in as %s. %s\nThis session was logged out, and the app still let you in: lab solved." % (user, note))
        return text("Logged in as %s. %s" % (user, note))

    @app.route("/logout")
    def logout():
        user = session.get("user")
        session.clear()
        if isinstance(user, str):
            logged_out.add(user)
        return redirect("%s/account" % prefix)

    return app


def victim(lab, action, arg):
    """The requests dana's browser sends for each victim action (the runtime adds her cookies)."""
    from urllib.parse import urlencode

    if action == "login":
        body = urlencode({"user": VICTIM, "password": accounts(lab)[VICTIM]})
        return [
            {"method": "POST", "url": "/login", "headers": [["Content-Type", "application/x-www-form-urlencoded"]], "body": body},
            {"method": "GET", "url": "/account", "headers": []},
        ]
    if action == "logout":
        return [{"method": "GET", "url": "/logout", "headers": []}]
    from flasklab_labs import LabInputError

    raise LabInputError("unknown victim action '%s'" % action)
