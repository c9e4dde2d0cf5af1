from datetime import timedelta

from flask import Flask, session

app = Flask(__name__)
app.secret_key = "change me before you deploy"
app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=2)


@app.get("/visit")
def visit():
    session.permanent = True
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"]}


@app.get("/peek")
def peek():
    return {"visits": session.get("visits", 0)}
