"""Lesson 6: server-side sessions with Flask-Session and Redis, configured so it works on every release.

Runs on Flask-Session 0.3.2 (Debian, the old posts) and on 0.8 (current).
"""
import os
from datetime import timedelta

from flask import Flask, session
from flask_session import Session  # not flask.ext.session: Flask 1.0 removed flask.ext
from redis import Redis

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ.get("SECRET_KEY", "change-me"),
    SESSION_TYPE="redis",  # unset, 0.3.2 silently falls back to a NullSession; 0.8 refuses to start
    # A ready client. Password, database and host go into the URL or into Redis(...) itself:
    # no release of Flask-Session reads SESSION_REDIS_PASSWORD, _DB, _HOST or _PORT.
    SESSION_REDIS=Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
    SESSION_KEY_PREFIX="myapp:",  # keys become myapp:<session id>
    SESSION_PERMANENT=False,  # browser-session cookie; Redis still gets the TTL below
    PERMANENT_SESSION_LIFETIME=timedelta(hours=1),
    SESSION_COOKIE_NAME="hello_session",  # not app.session_cookie_name (removed in Flask 2.3)
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",  # sent by Flask-Session 0.4 and later
    SESSION_COOKIE_SECURE=os.environ.get("HTTPS") == "1",  # True in production, behind HTTPS
)
Session(app)


@app.get("/login")
def login():
    session["user"] = "guhanzhe"
    return "logged in"


@app.get("/index")
def index():
    # .get, not session["user"]: a visitor who is not logged in must not cause a 500
    return f"hello {session.get('user', 'stranger')}"


@app.get("/logout")
def logout():
    session.clear()
    return "logged out"
