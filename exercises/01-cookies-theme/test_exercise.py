from flasklab import client, cookie, expect, expect_true, parse_set_cookie, set_cookies, task

import exercise


def theme_cookie(response):
    lines = set_cookies(response, "theme")
    expect(len(lines), 1, "theme.one_set_cookie")
    return parse_set_cookie(lines[0])


@task("set")
def test_cookie_lasts_thirty_days():
    r = client(exercise.app).get("/theme/dark")
    name, value, attrs = theme_cookie(r)
    expect(value, "dark", "theme.value")
    expect(attrs.get("max-age"), str(30 * 24 * 60 * 60), "theme.max_age")
    expect_true("expires" in attrs, "theme.expires")


@task("set")
def test_cookie_attributes():
    _, _, attrs = theme_cookie(client(exercise.app).get("/theme/light"))
    expect(attrs.get("samesite"), "Lax", "theme.samesite")
    expect(attrs.get("httponly"), True, "theme.httponly")
    expect(attrs.get("path"), "/", "theme.path")


@task("set")
def test_unknown_theme_is_refused():
    r = client(exercise.app).get("/theme/%3Cscript%3E")
    expect(r.status_code, 400, "theme.bad_status")
    expect(set_cookies(r, "theme"), [], "theme.bad_cookie")


@task("read")
def test_default_is_light():
    expect(client(exercise.app).get("/").get_data(as_text=True), "theme: light", "theme.default")


@task("read")
def test_browser_sends_it_back():
    c = client(exercise.app)
    c.get("/theme/dark")
    expect(cookie(c, "theme"), "dark", "theme.jar")
    expect(c.get("/").get_data(as_text=True), "theme: dark", "theme.read")


@task("read")
def test_forged_value_falls_back():
    c = client(exercise.app)
    c.set_cookie("theme", "purple")
    expect(c.get("/").get_data(as_text=True), "theme: light", "theme.forged")
