from datetime import timedelta

from flask import Flask, session

app = Flask(__name__)
app.secret_key = "change me before you deploy"


@app.get("/visit")
def visit():
    visits = 1
    return {"visits": visits}


@app.get("/peek")
def peek():
    # Reads the counter without counting a visit.
    return {"visits": session.get("visits", 0)}
