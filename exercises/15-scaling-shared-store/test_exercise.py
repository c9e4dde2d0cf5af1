from itsdangerous import BadSignature, Signer

from flasklab import client, cookie, expect, expect_true, require_cookie, task

import exercise

KEY = "9c1d7e0f4a2b8c6d3e5f7a9b1c0d2e4f"


def fleet():
    store = exercise.TTLStore()
    return exercise.create_app(store, KEY), exercise.create_app(store, KEY), store


def via(app, browser):
    """The load balancer sends this browser's next request to `app`: same cookies, other instance."""
    c = client(app)
    value = cookie(browser)
    if value is not None:
        c.set_cookie("session", value)
    return c


@task("key")
def test_instances_use_the_given_key():
    a, b, _ = fleet()
    expect([a.secret_key, b.secret_key], [KEY, KEY], "shared.key")


@task("key")
def test_cookie_is_signed_with_the_fleet_key():
    a, _, _ = fleet()
    c = client(a)
    c.post("/login/alice")
    try:
        sid = Signer(KEY, salt="flask-session").unsign(require_cookie(c)).decode()
    except BadSignature:
        sid = None
    expect_true(sid is not None and len(sid) >= 32, "shared.sid")


@task("share")
def test_login_on_a_is_seen_on_b():
    a, b, _ = fleet()
    browser = client(a)
    browser.post("/login/alice")
    expect(via(b, browser).get("/me").get_json(), {"user": "alice"}, "shared.seen")


@task("share")
def test_logout_on_b_ends_it_on_a():
    a, b, _ = fleet()
    browser = client(a)
    browser.post("/login/alice")
    on_b = via(b, browser)
    on_b.post("/logout")
    expect(via(a, on_b).get("/me").get_json(), {"user": None}, "shared.logout")


@task("share")
def test_data_lives_in_the_shared_store():
    a, _, store = fleet()
    client(a).post("/login/alice")
    expect(len(store.keys()), 1, "shared.store")
