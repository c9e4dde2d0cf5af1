from flask import Flask, make_response, request

app = Flask(__name__)
ACCOUNT_PATH = "/account"


@app.post("/account/sign-in/<name>")
def sign_in(name):
    r = make_response("signed in")
    r.set_cookie("account", name, path=ACCOUNT_PATH, httponly=True, samesite="Lax")
    return r


@app.get("/account/me")
def me():
    return {"account": request.cookies.get("account")}


@app.post("/account/sign-out")
def sign_out():
    r = make_response("signed out")
    r.set_cookie("account", "", expires=0, path=ACCOUNT_PATH, httponly=True, samesite="Lax")
    return r
