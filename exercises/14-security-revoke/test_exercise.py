from flasklab import client, expect, require_cookie, task

import exercise


def logged_in(name):
    c = client(exercise.app)
    c.post("/login/" + name)
    return c


def replay(value):
    c = client(exercise.app)
    c.set_cookie("session", value)
    return c.get("/me").get_json()["user"]


@task("revoke")
def test_login_and_logout():
    c = logged_in("alice")
    expect(c.get("/me").get_json(), {"user": "alice"}, "revoke.login")
    c.post("/logout")
    expect(c.get("/me").get_json(), {"user": None}, "revoke.logout")


@task("revoke")
def test_copied_cookie_dies_with_logout():
    c = logged_in("alice")
    stolen = require_cookie(c)
    expect(replay(stolen), "alice", "revoke.copy_before")
    c.post("/logout")
    expect(replay(stolen), None, "revoke.replayed")


@task("everywhere")
def test_logout_everywhere_ends_other_devices():
    phone, laptop, bob = logged_in("alice"), logged_in("alice"), logged_in("bob")
    phone.post("/logout-everywhere")
    expect(laptop.get("/me").get_json(), {"user": None}, "revoke.other_device")
    expect(bob.get("/me").get_json(), {"user": "bob"}, "revoke.other_user")


@task("everywhere")
def test_login_again_after_logout_everywhere():
    phone = logged_in("alice")
    phone.post("/logout-everywhere")
    phone.post("/login/alice")
    expect(phone.get("/me").get_json(), {"user": "alice"}, "revoke.again")
