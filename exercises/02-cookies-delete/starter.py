from flask import Flask, make_response, request

app = Flask(__name__)


@app.post("/account/sign-in/<name>")
def sign_in(name):
    response = make_response("signed in")
    # The account pages are the only ones that need to know who is there.
    response.set_cookie("account", name, path="/account", httponly=True, samesite="Lax")
    return response


@app.get("/account/me")
def me():
    return {"account": request.cookies.get("account")}


@app.post("/account/sign-out")
def sign_out():
    response = make_response("signed out")
    response.set_cookie("account", "")
    return response
