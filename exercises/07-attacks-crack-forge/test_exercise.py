from flask import Flask, abort, session

from flasklab import client, cookie, expect, expect_true, task

import exercise

WORDLIST = ["123456", "password", "flask", "secret", "dev", "changeme", "letmein", "qwerty", "development",
            "supersecret", "admin", "hunter2", "s3cr3t", "sunshine", "dragon", "monkey", "trustno1", "iloveyou"]


def victim(secret_key):
    """The weak app: a key from a list of common passwords."""
    app = Flask("victim")
    app.secret_key = secret_key

    @app.post("/login/<name>")
    def login(name):
        if name == "admin":
            abort(403)
        session["user"] = name
        return "hello " + name

    @app.get("/admin")
    def admin():
        if session.get("user") != "admin":
            abort(403)
        return "welcome, admin"

    return app


def captured_cookie(app):
    c = client(app)
    c.post("/login/guest")
    return cookie(c)


@task("crack")
def test_cracks_the_key():
    for key in ("dev", "trustno1"):
        expect(exercise.crack(captured_cookie(victim(key)), list(WORDLIST)), key, "crack.found")


@task("crack")
def test_no_false_positive():
    expect(exercise.crack(captured_cookie(victim("a long random key nobody guesses")), list(WORDLIST)), None, "crack.none")


@task("forge")
def test_forged_cookie_opens_admin():
    app = victim("sunshine")
    c = client(app)
    c.set_cookie("session", exercise.forge("sunshine", {"user": "admin"}))
    r = c.get("/admin")
    expect(r.status_code, 200, "forge.accepted")


@task("forge")
def test_whole_attack():
    app = victim("letmein")
    key = exercise.crack(captured_cookie(app), list(WORDLIST))
    expect_true(key is not None, "crack.whole")
    c = client(app)
    c.set_cookie("session", exercise.forge(key, {"user": "admin"}))
    expect(c.get("/admin").get_data(as_text=True), "welcome, admin", "forge.whole")
