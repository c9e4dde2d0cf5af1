import uuid
from flask import Flask, session
app = Flask(__name__)
app.secret_key = "x"
ACTIVE = {}
def current_user():
    t = session.get("t")
    return ACTIVE.get(t)
@app.post("/login/<name>")
def login(name):
    t = str(uuid.uuid4()); ACTIVE[t] = name; session["t"] = t
    return "ok"
@app.get("/me")
def me():
    return {"user": current_user()}
@app.post("/logout")
def logout():
    ACTIVE.pop(session.pop("t", None), None)
    return "bye"
@app.post("/logout-everywhere")
def logout_everywhere():
    u = current_user()
    for t in list(ACTIVE):
        if ACTIVE[t] == u: del ACTIVE[t]
    return "bye"
