import secrets

from flask import Flask, session

app = Flask(__name__)
app.secret_key = "5f0e7c2a9b8d4e61a3c7f0b2d9e8a4c1"

# Server-side record of the logins still valid: token -> user name. Empty for now.
ACTIVE = {}


def current_user():
    return session.get("user")


@app.post("/login/<name>")
def login(name):
    session["user"] = name
    return "hello " + name


@app.get("/me")
def me():
    return {"user": current_user()}


@app.post("/logout")
def logout():
    session.clear()
    return "bye"


@app.post("/logout-everywhere")
def logout_everywhere():
    session.clear()
    return "bye, everywhere"
