from itsdangerous import Signer

from flasklab import client, cookie, expect, expect_true, require_cookie, set_cookies, task

import exercise

KEY = "change me before you deploy"


def sid_of(value):
    return Signer(KEY, salt="memory-session").unsign(value).decode()


def store():
    return exercise.app.session_interface.store


@task("save")
def test_login_stores_data_and_sends_signed_id():
    c = client(exercise.app)
    c.post("/login/alice")
    value = cookie(c)
    expect_true(value is not None, "memory.no_cookie")
    expect(store().get(sid_of(value)), {"user": "alice"}, "memory.stored")


@task("save")
def test_cookie_holds_no_data():
    c = client(exercise.app)
    c.post("/login/alice")
    expect("alice" in require_cookie(c), False, "memory.data_in_cookie")


@task("save")
def test_update_reaches_the_store():
    c = client(exercise.app)
    c.post("/login/alice")
    c.post("/note/first")
    c.post("/note/second")
    expect(store().get(sid_of(require_cookie(c))), {"user": "alice", "note": "second"}, "memory.updated")


@task("save")
def test_anonymous_reader_gets_no_cookie():
    r = client(exercise.app).get("/me")
    expect(set_cookies(r, "session"), [], "memory.anonymous_cookie")
    expect(len(store()), 0, "memory.anonymous_stored")


@task("open")
def test_returning_visitor_is_recognised():
    c = client(exercise.app)
    c.post("/login/alice")
    expect(c.get("/me").get_json(), {"user": "alice", "note": None}, "memory.returning")


@task("open")
def test_forged_signature_gets_fresh_session():
    c = client(exercise.app)
    c.post("/login/alice")
    sid = sid_of(require_cookie(c))
    attacker = client(exercise.app)
    attacker.set_cookie("session", sid + ".forgedsignature")
    expect(attacker.get("/me").get_json()["user"], None, "memory.forged")


@task("open")
def test_unknown_id_gets_fresh_session():
    c = client(exercise.app)
    c.set_cookie("session", Signer(KEY, salt="memory-session").sign("not-issued-by-server").decode())
    c.post("/login/bob")
    expect_true("not-issued-by-server" not in store(), "memory.adopted")


@task("delete")
def test_logout_removes_store_entry_and_cookie():
    c = client(exercise.app)
    c.post("/login/alice")
    sid = sid_of(require_cookie(c))
    c.post("/logout")
    expect(sid in store(), False, "memory.store_after_logout")
    expect(cookie(c), None, "memory.cookie_after_logout")
