from datetime import timedelta
from flask import Flask, session
app = Flask(__name__)
app.secret_key = "x"
app.permanent_session_lifetime = timedelta(seconds=7200)
@app.before_request
def perm():
    session.permanent = True
@app.get("/visit")
def visit():
    n = session["visits"] = session.get("visits", 0) + 1
    return {"visits": n}
@app.get("/peek")
def peek():
    return {"visits": session.get("visits", 0)}
