from itsdangerous import Signer

from flasklab import advance, client, cookie, expect, frozen_clock, require_cookie, task

import exercise

HOUR = 60 * 60
KEY = "A0Zr98j/3yX R~XHH!jmN]LWX/,?RT"


def store():
    return exercise.app.session_interface.container


def sid_of(value):
    return Signer(KEY, salt="flask-session", key_derivation="hmac").unsign(value).decode()


@task("update")
def test_second_login_replaces_the_first():
    c = client(exercise.app)
    c.post("/login/alice")
    c.post("/login/bob")
    expect(c.get("/me").get_json(), {"user": "bob"}, "seed.update")


@task("update")
def test_first_login_works():
    c = client(exercise.app)
    c.post("/login/alice")
    expect(c.get("/me").get_json(), {"user": "alice"}, "seed.login")


@task("delete")
def test_logout_forgets_the_server_side_data():
    c = client(exercise.app)
    c.post("/login/alice")
    sid = sid_of(require_cookie(c))
    c.post("/logout")
    expect(sid in store(), False, "seed.delete_store")
    expect(cookie(c), None, "seed.delete_cookie")


@task("delete")
def test_copied_cookie_is_dead_after_logout():
    c = client(exercise.app)
    c.post("/login/alice")
    stolen = require_cookie(c)
    c.post("/logout")
    thief = client(exercise.app)
    thief.set_cookie("session", stolen)
    expect(thief.get("/me").get_json(), {"user": None}, "seed.replay")


@task("expire")
def test_session_expires_after_the_lifetime():
    frozen_clock(1767225600)
    c = client(exercise.app)
    c.post("/login/alice")
    advance(HOUR - 60)
    expect(c.get("/me").get_json(), {"user": "alice"}, "seed.too_early")
    advance(HOUR + 60)
    expect(c.get("/me").get_json(), {"user": None}, "seed.expired")


@task("expire")
def test_unknown_id_is_not_adopted():
    c = client(exercise.app)
    c.set_cookie("session", Signer(KEY, salt="flask-session", key_derivation="hmac").sign("chosen-by-attacker").decode())
    c.post("/login/alice")
    expect("chosen-by-attacker" in store(), False, "seed.adopted")


@task("vary")
def test_reading_the_session_varies_on_cookie():
    c = client(exercise.app)
    c.post("/login/alice")
    expect("cookie" in [v.lower() for v in c.get("/me").vary], True, "seed.vary")
