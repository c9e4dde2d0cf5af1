"""Lesson 4: a session that grows until the browser drops it."""
from flask import Flask, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "change-me-to-a-long-random-value"


@app.get("/read-unbounded/<article_id>")
def read_unbounded(article_id):
    # Every id ever read goes into the cookie: after a few hundred articles it passes 4 KB.
    session["history"] = session.get("history", []) + [article_id]
    return f"{len(session['history'])} articles read"


@app.get("/read/<article_id>")
def read(article_id):
    # Keep the cookie small: only the last ten ids (or move the history to the database).
    session["history"] = (session.get("history", []) + [article_id])[-10:]
    return f"{len(session['history'])} recent articles"
