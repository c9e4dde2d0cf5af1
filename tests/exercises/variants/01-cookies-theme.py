from datetime import timedelta

from flask import Flask, Response, request

app = Flask(__name__)


@app.route("/theme/<name>")
def choose_theme(name):
    if name != "light" and name != "dark":
        return Response("unknown theme", status=400)
    resp = Response("ok")
    resp.set_cookie("theme", value=name, max_age=timedelta(days=30), path="/", samesite="Lax", httponly=True)
    return resp


@app.route("/")
def home():
    return f"theme: {request.cookies.get('theme') if request.cookies.get('theme') in ('light', 'dark') else 'light'}"
