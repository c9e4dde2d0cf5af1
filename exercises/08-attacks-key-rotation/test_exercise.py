from flasklab import client, cookie, expect, sign_session, task, unsign_session

import exercise

OLD = "b1f0c2d7e4a9-yesterday"
NEW = "5e8a1c9f07d34b6e8a2f4c1d9b7e3a60-today"


def browser_with(value):
    c = client(exercise.app)
    c.set_cookie("session", value)
    return c


@task("keep")
def test_yesterdays_cookie_is_accepted():
    c = browser_with(sign_session({"user": "alice"}, OLD))
    expect(c.get("/me").get_json(), {"user": "alice"}, "rotate.old_accepted")


@task("keep")
def test_todays_cookie_is_accepted():
    c = browser_with(sign_session({"user": "bob"}, NEW))
    expect(c.get("/me").get_json(), {"user": "bob"}, "rotate.new_accepted")


@task("keep")
def test_unknown_key_is_refused():
    c = browser_with(sign_session({"user": "admin"}, "a key this app never had"))
    expect(c.get("/me").get_json(), {"user": None}, "rotate.unknown_refused")


@task("resign")
def test_new_cookie_is_signed_with_the_new_key():
    c = browser_with(sign_session({"user": "alice"}, OLD))
    c.post("/theme/dark")
    value = cookie(c)
    expect(unsign_session(value, NEW), {"user": "alice", "theme": "dark"}, "rotate.resigned")
    expect(unsign_session(value, OLD), None, "rotate.not_old")


@task("resign")
def test_secret_key_is_the_new_one():
    expect(exercise.app.secret_key, NEW, "rotate.secret_key")
