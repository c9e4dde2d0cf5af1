from flask import Flask, abort, make_response, request

app = Flask(__name__)

THEMES = ("light", "dark")
THIRTY_DAYS = 30 * 24 * 60 * 60


@app.get("/theme/<name>")
def choose_theme(name):
    if name not in THEMES:
        abort(400)
    response = make_response("theme saved")
    # max_age makes it a persistent cookie: the browser keeps it after it is closed.
    response.set_cookie("theme", name, max_age=THIRTY_DAYS, samesite="Lax", httponly=True)
    return response


@app.get("/")
def home():
    theme = request.cookies.get("theme")
    if theme not in THEMES:
        theme = "light"
    return "theme: " + theme
