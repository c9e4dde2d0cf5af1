"""Lesson 7: give the session a new id at login, so an id planted before login is worthless.

Flask-Session 0.7 and later have session_interface.regenerate(); on older releases the helper does
the same thing by hand (delete the old key, pick a new id, mark the session modified).
"""
import os

from flask import Flask, session
from flask_session import Session
from redis import Redis

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ.get("SECRET_KEY", "change-me"),
    SESSION_TYPE="redis",
    SESSION_REDIS=Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
)
Session(app)


def new_session_id():
    iface = app.session_interface
    if hasattr(iface, "regenerate"):  # Flask-Session >= 0.7
        iface.regenerate(session)
    else:  # 0.3 to 0.6: the same steps by hand
        iface.redis.delete(iface.key_prefix + session.sid)
        session.sid = iface._generate_sid()
        session.modified = True


@app.get("/cart/add")
def add_to_cart():
    session["cart"] = session.get("cart", 0) + 1  # anonymous visitors get a session too
    return f"{session['cart']} item(s)"


@app.get("/login")
def login():
    session["user"] = "alice"  # after checking her password
    new_session_id()  # after the write: regenerate() ignores an empty session
    return "logged in"


@app.get("/login-unsafe")
def login_unsafe():
    session["user"] = "alice"  # keeps whatever id the browser came with
    return "logged in"


@app.get("/whoami")
def whoami():
    return session.get("user", "nobody")


@app.get("/logout")
def logout():
    session.clear()  # deletes the key in Redis: a copied cookie is dead from now on
    return "logged out"
