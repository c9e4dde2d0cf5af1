from flasklab import client, expect, expect_true, require_cookie, task

import exercise


def store():
    return exercise.app.session_interface.store


def planted_victim():
    """The attacker visits to get a real id, then puts it into the victim's browser."""
    attacker = client(exercise.app)
    attacker.get("/")
    planted = require_cookie(attacker)
    victim = client(exercise.app)
    victim.set_cookie("session", planted)
    return attacker, victim, planted


@task("login")
def test_login_is_remembered():
    c = client(exercise.app)
    c.get("/")
    c.post("/login/alice")
    expect(c.get("/me").get_json()["user"], "alice", "fixation.login")


@task("login")
def test_cart_survives_login():
    c = client(exercise.app)
    c.get("/")
    c.post("/cart/apple")
    c.post("/login/alice")
    expect(c.get("/me").get_json(), {"user": "alice", "cart": ["apple"]}, "fixation.cart")


@task("fixation")
def test_attacker_is_not_logged_in():
    attacker, victim, _ = planted_victim()
    victim.post("/login/alice")
    expect(attacker.get("/me").get_json()["user"], None, "fixation.hijacked")


@task("fixation")
def test_victim_gets_a_new_id():
    _, victim, planted = planted_victim()
    victim.post("/login/alice")
    expect_true(require_cookie(victim) != planted, "fixation.same_id")
    expect(store().get("session:" + planted), None, "fixation.old_key")


@task("logout")
def test_logout_revokes_a_copied_cookie():
    c = client(exercise.app)
    c.post("/login/alice")
    stolen = require_cookie(c)
    c.post("/logout")
    expect(store().get("session:" + stolen), None, "fixation.logout_store")
    thief = client(exercise.app)
    thief.set_cookie("session", stolen)
    expect(thief.get("/me").get_json()["user"], None, "fixation.logout_replay")


@task("logout")
def test_logout_then_login_again():
    c = client(exercise.app)
    c.post("/login/alice")
    c.post("/logout")
    expect(c.get("/me").get_json()["user"], None, "fixation.logout_me")
    c.post("/login/bob")
    expect(c.get("/me").get_json()["user"], "bob", "fixation.login_again")
