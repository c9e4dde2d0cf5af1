import secrets

from flask import Flask, session

app = Flask(__name__)
app.secret_key = "5f0e7c2a9b8d4e61a3c7f0b2d9e8a4c1"

# Server-side record of the logins still valid: token -> user name. A signed cookie cannot be recalled,
# so the cookie carries a random token and only tokens listed here count.
ACTIVE = {}


def current_user():
    token = session.get("token")
    return ACTIVE.get(token) if token else None


@app.post("/login/<name>")
def login(name):
    token = secrets.token_urlsafe(32)
    ACTIVE[token] = name
    session.clear()
    session["token"] = token
    return "hello " + name


@app.get("/me")
def me():
    return {"user": current_user()}


@app.post("/logout")
def logout():
    ACTIVE.pop(session.get("token"), None)
    session.clear()
    return "bye"


@app.post("/logout-everywhere")
def logout_everywhere():
    user = current_user()
    if user is not None:
        for token in [t for t, name in ACTIVE.items() if name == user]:
            del ACTIVE[token]
    session.clear()
    return "bye, everywhere"
