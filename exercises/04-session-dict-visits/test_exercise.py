import time

from flasklab import client, expect, expect_true, http_date_seconds, parse_set_cookie, session_data, set_cookies, task

import exercise

TWO_HOURS = 2 * 60 * 60


@task("count")
def test_counts_one_two_three():
    c = client(exercise.app)
    seen = [c.get("/visit").get_json()["visits"] for _ in range(3)]
    expect(seen, [1, 2, 3], "visits.sequence")


@task("count")
def test_counter_lives_in_the_session():
    c = client(exercise.app)
    c.get("/visit")
    c.get("/visit")
    expect(session_data(c).get("visits"), 2, "visits.in_cookie")
    expect(c.get("/peek").get_json()["visits"], 2, "visits.peek")


@task("count")
def test_each_browser_counts_alone():
    a, b = client(exercise.app), client(exercise.app)
    a.get("/visit")
    a.get("/visit")
    expect(b.get("/visit").get_json()["visits"], 1, "visits.other_browser")


@task("permanent")
def test_cookie_expires_in_two_hours():
    c = client(exercise.app)
    before = int(time.time())
    lines = set_cookies(c.get("/visit"), "session")
    expect_true(lines, "visits.no_cookie")
    _, _, attrs = parse_set_cookie(lines[0])
    expect_true("expires" in attrs, "visits.no_expires")
    left = http_date_seconds(attrs["expires"]) - before
    expect_true(TWO_HOURS - 5 <= left <= TWO_HOURS + 5, "visits.lifetime", seconds=left)


@task("permanent")
def test_session_is_marked_permanent():
    c = client(exercise.app)
    c.get("/visit")
    expect(session_data(c).get("_permanent"), True, "visits.permanent_flag")


@task("permanent")
def test_app_lifetime_is_two_hours():
    expect(exercise.app.permanent_session_lifetime.total_seconds(), float(TWO_HOURS), "visits.config")
