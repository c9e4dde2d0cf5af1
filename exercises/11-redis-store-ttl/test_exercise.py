import json

from flasklab import advance, client, expect, expect_true, frozen_clock, require_cookie, task

import exercise

HALF_HOUR = 30 * 60


def store():
    return exercise.app.session_interface.store


@task("store")
def test_data_is_stored_under_prefix_and_id():
    c = client(exercise.app)
    c.post("/login/alice")
    sid = require_cookie(c)
    raw = store().get("session:" + sid)
    expect_true(raw is not None, "ttl.no_key", key="session:" + sid, keys=store().keys())
    expect(json.loads(raw), {"user": "alice"}, "ttl.value")


@task("store")
def test_session_comes_back():
    c = client(exercise.app)
    c.post("/login/alice")
    expect(c.get("/me").get_json(), {"user": "alice"}, "ttl.returning")


@task("store")
def test_only_prefixed_keys():
    c = client(exercise.app)
    c.post("/login/alice")
    client(exercise.app).post("/login/bob")
    expect(sorted(k.split(":", 1)[0] for k in store().keys()), ["session", "session"], "ttl.prefix")


@task("ttl")
def test_key_lives_as_long_as_the_session():
    frozen_clock(1767225600)
    c = client(exercise.app)
    c.post("/login/alice")
    expect(store().ttl("session:" + require_cookie(c)), HALF_HOUR, "ttl.seconds")


@task("ttl")
def test_store_forgets_after_the_lifetime():
    frozen_clock(1767225600)
    c = client(exercise.app)
    c.post("/login/alice")
    advance(HALF_HOUR + 1)
    expect(c.get("/me").get_json(), {"user": None}, "ttl.expired")
    expect(store().keys(), [], "ttl.left_over")


@task("ttl")
def test_each_save_starts_the_ttl_again():
    frozen_clock(1767225600)
    c = client(exercise.app)
    c.post("/login/alice")
    advance(HALF_HOUR - 60)
    c.post("/login/alice")
    advance(HALF_HOUR - 60)
    expect(c.get("/me").get_json(), {"user": "alice"}, "ttl.refreshed")
