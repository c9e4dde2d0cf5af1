"""Lesson 2: Flask's session used as a dict."""
from datetime import timedelta

from flask import Flask, session

app = Flask(__name__)
# Read from the environment in real deployments; see the lesson on attacks.
app.config["SECRET_KEY"] = "change-me-to-a-long-random-value"
# Note the keyword: hours=2. timedelta(hour=2) raises TypeError.
app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=2)


@app.get("/login/<name>")
def login(name):
    session["user"] = name          # __setitem__: marks the session modified
    return f"hello {name}"


@app.get("/whoami")
def whoami():
    # .get never raises; session["user"] would raise KeyError for a visitor.
    return session.get("user", "nobody")


@app.get("/remember-me")
def remember_me():
    session.permanent = True        # stored as "_permanent": true in the cookie
    return "this session now lasts two hours"


@app.get("/logout")
def logout():
    session.pop("user", None)       # no KeyError if the key is missing
    return "bye"


@app.get("/reset")
def reset():
    session.clear()                 # empty + modified: Flask deletes the cookie
    return "everything forgotten"


@app.get("/cart")
def cart():
    return ", ".join(session.get("cart", [])) or "empty"


@app.get("/cart/add-broken/<item>")
def add_broken(item):
    if "cart" not in session:
        session["cart"] = []        # a real assignment: this request is saved
    session["cart"].append(item)    # changes the list in place: Flask is not told
    return ", ".join(session["cart"])


@app.get("/cart/add/<item>")
def add(item):
    if "cart" not in session:
        session["cart"] = []
    session["cart"].append(item)
    session.modified = True         # tell Flask the cookie must be rewritten
    return ", ".join(session["cart"])
