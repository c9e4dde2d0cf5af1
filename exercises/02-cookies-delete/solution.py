from flask import Flask, make_response, request

app = Flask(__name__)


@app.post("/account/sign-in/<name>")
def sign_in(name):
    response = make_response("signed in")
    response.set_cookie("account", name, path="/account", httponly=True, samesite="Lax")
    return response


@app.get("/account/me")
def me():
    return {"account": request.cookies.get("account")}


@app.post("/account/sign-out")
def sign_out():
    response = make_response("signed out")
    # A cookie is replaced only by one with the same name, domain and path; an expiry in the past removes it.
    response.delete_cookie("account", path="/account", httponly=True, samesite="Lax")
    return response
