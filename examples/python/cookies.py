"""Lesson 1: plain cookies with Flask, before any session is involved."""
from datetime import timedelta

from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/")
def index():
    # The browser sends back every cookie it holds for this site in one Cookie header.
    theme = request.cookies.get("theme", "light")
    return f"theme: {theme}"


@app.get("/theme/<name>")
def set_theme(name):
    resp = make_response(f"theme set to {name}")
    # No expires, no max_age: a browser-session cookie, dropped when the browsing session ends.
    resp.set_cookie("theme", name)
    return resp


@app.get("/remember-language/<code>")
def remember_language(code):
    resp = make_response(f"language set to {code}")
    # max_age makes it persistent: it survives a browser restart for 30 days.
    resp.set_cookie(
        "lang",
        code,
        max_age=timedelta(days=30),
        path="/",
        secure=True,      # only sent over HTTPS
        httponly=True,    # invisible to document.cookie
        samesite="Lax",   # not sent on cross-site POSTs, iframes or images
    )
    return resp


@app.get("/forget")
def forget():
    resp = make_response("forgotten")
    # Deleting is overwriting: an empty value that expired in 1970.
    resp.delete_cookie("theme")
    return resp
