"""Lesson 4: where SECRET_KEY should come from."""
import os

from flask import Flask, session

app = Flask(__name__)

# One long random value, generated once (python3 -c "import secrets; print(secrets.token_hex(32))"),
# kept out of the code and shared by every worker process and every restart.
# os.urandom(24) here would give each process its own key and a new one on each restart,
# silently logging everybody out.
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]


@app.get("/visit")
def visit():
    session["visits"] = session.get("visits", 0) + 1
    return str(session["visits"])
