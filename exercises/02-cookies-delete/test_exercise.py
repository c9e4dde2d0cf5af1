from flasklab import client, cookie, expect, expect_true, http_date_seconds, parse_set_cookie, set_cookies, task

import exercise


@task("delete")
def test_sign_out_expires_the_same_cookie():
    c = client(exercise.app)
    c.post("/account/sign-in/alice")
    lines = set_cookies(c.post("/account/sign-out"), "account")
    expect(len(lines), 1, "delete.one_set_cookie")
    _, _, attrs = parse_set_cookie(lines[0])
    expect(attrs.get("path"), "/account", "delete.path")
    expect_true(attrs.get("max-age") == "0" or http_date_seconds(attrs.get("expires") or "Thu, 01 Jan 2099 00:00:00 GMT") <= 0, "delete.expired")


@task("delete")
def test_browser_forgets_after_sign_out():
    c = client(exercise.app)
    c.post("/account/sign-in/alice")
    c.post("/account/sign-out")
    expect(cookie(c, "account", path="/account"), None, "delete.jar_path")
    expect(cookie(c, "account", path="/"), None, "delete.jar_root")
    expect(c.get("/account/me").get_json(), {"account": None}, "delete.me_after")


@task("keep")
def test_sign_in_sets_the_account_cookie():
    c = client(exercise.app)
    c.post("/account/sign-in/alice")
    expect(cookie(c, "account", path="/account"), "alice", "keep.jar")
    expect(c.get("/account/me").get_json(), {"account": "alice"}, "keep.me")


@task("keep")
def test_sign_in_again_after_sign_out():
    c = client(exercise.app)
    c.post("/account/sign-in/alice")
    c.post("/account/sign-out")
    c.post("/account/sign-in/bob")
    expect(c.get("/account/me").get_json(), {"account": "bob"}, "keep.again")
