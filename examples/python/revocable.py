"""Lesson 4: making logout mean something with a signed-cookie session.

The cookie cannot be recalled, so the server keeps one small number per user and
bumps it on logout; any cookie carrying an older number is treated as logged out.
"""
from flask import Flask, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "change-me-to-a-long-random-value"

# In a real app this lives in the database, next to the user row.
session_generation = {"alice": 0}


@app.get("/login/<name>")
def login(name):
    session.clear()
    session["user"] = name
    session["gen"] = session_generation.setdefault(name, 0)
    return f"hello {name}"


def current_user():
    user = session.get("user")
    if user is None or session.get("gen") != session_generation.get(user):
        return None
    return user


@app.get("/whoami")
def whoami():
    return current_user() or "nobody"


@app.get("/logout")
def logout():
    user = current_user()
    if user is not None:
        session_generation[user] += 1   # every cookie issued so far stops working
    session.clear()
    return "bye"
