from flasklab import client, cookie, expect, expect_true, require_cookie, task

import exercise

PLANTED = "id-chosen-by-the-attacker"


def store():
    return exercise.app.session_interface.store


@task("works")
def test_login_and_back():
    c = client(exercise.app)
    c.post("/login/alice")
    expect(c.get("/me").get_json(), {"user": "alice"}, "unknown.works")


@task("works")
def test_logout_removes_the_key():
    c = client(exercise.app)
    c.post("/login/alice")
    sid = require_cookie(c)
    c.post("/logout")
    expect(store().get("session:" + sid), None, "unknown.logout")


@task("unknown")
def test_planted_id_is_replaced():
    victim = client(exercise.app)
    victim.set_cookie("session", PLANTED)
    victim.post("/login/alice")
    expect_true(require_cookie(victim) != PLANTED, "unknown.same_id")
    expect(store().get("session:" + PLANTED), None, "unknown.stored")


@task("unknown")
def test_attacker_with_planted_id_is_not_logged_in():
    victim = client(exercise.app)
    victim.set_cookie("session", PLANTED)
    victim.post("/login/alice")
    attacker = client(exercise.app)
    attacker.set_cookie("session", PLANTED)
    expect(attacker.get("/me").get_json(), {"user": None}, "unknown.hijacked")


@task("unknown")
def test_new_ids_are_long_and_random():
    ids = set()
    for _ in range(3):
        c = client(exercise.app)
        c.set_cookie("session", PLANTED)
        c.post("/login/alice")
        ids.add(cookie(c))
    expect(len(ids), 3, "unknown.random")
