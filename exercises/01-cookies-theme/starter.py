from flask import Flask, make_response, request

app = Flask(__name__)

THEMES = ("light", "dark")
THIRTY_DAYS = 30 * 24 * 60 * 60


@app.get("/theme/<name>")
def choose_theme(name):
    response = make_response("theme saved")
    response.set_cookie("theme", name)
    return response


@app.get("/")
def home():
    return "theme: light"
