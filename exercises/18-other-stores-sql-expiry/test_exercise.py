from flasklab import advance, client, expect, expect_true, frozen_clock, require_cookie, task

import exercise

NOW = 1700000000
HOUR = 3600


def rows():
    return exercise.app.session_interface.table.rows


def fresh():
    rows().clear()
    frozen_clock(NOW)


def logged_in(name):
    c = client(exercise.app)
    c.post(f"/login/{name}")
    return c, require_cookie(c)


@task("sessions")
def test_login_is_remembered():
    fresh()
    c, _ = logged_in("alice")
    expect(c.get("/me").get_json()["user"], "alice", "sql.login")


@task("sessions")
def test_row_has_expiry():
    fresh()
    _, sid = logged_in("alice")
    row = rows().get("session:" + sid)
    expect_true(row is not None, "sql.row")
    expect(row["expiry"], NOW + HOUR, "sql.expiry")


@task("expired")
def test_expired_row_logs_nobody_in():
    fresh()
    _, sid = logged_in("alice")
    advance(HOUR)
    # A copy of the cookie, kept by a browser or a thief, sent after the row expired.
    thief = client(exercise.app)
    thief.set_cookie("session", sid)
    expect(thief.get("/me").get_json()["user"], None, "sql.expired_login")


@task("expired")
def test_expired_row_is_deleted_when_read():
    fresh()
    _, sid = logged_in("alice")
    advance(HOUR + 1)
    thief = client(exercise.app)
    thief.set_cookie("session", sid)
    thief.get("/me")
    expect("session:" + sid in rows(), False, "sql.expired_kept")


@task("expired")
def test_live_row_still_works_just_before_expiry():
    fresh()
    c, _ = logged_in("alice")
    advance(HOUR - 1)
    expect(c.get("/me").get_json()["user"], "alice", "sql.too_early")


@task("cleanup")
def test_cleanup_removes_every_expired_row():
    fresh()
    for name in ("a", "b", "c"):
        logged_in(name)
    advance(HOUR // 2)
    _, recent = logged_in("d")
    advance(HOUR // 2)
    expect(exercise.app.session_interface.cleanup(), 3, "sql.cleanup_count")
    expect(sorted(rows()), ["session:" + recent], "sql.cleanup_left")
