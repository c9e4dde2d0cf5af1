from flask import Flask, session

from flasklab import client, cookie, expect, frozen_clock, task

import exercise

SIGNED_AT = 1767225600  # 2026-01-01 00:00:00 UTC


def real_cookie(data):
    """A cookie made by the real Flask for a session holding `data`, signed at SIGNED_AT."""
    app = Flask("shop")
    app.secret_key = "a key the learner never needs"

    @app.get("/")
    def fill():
        session.update(data)
        return "ok"

    frozen_clock(SIGNED_AT)
    c = client(app)
    c.get("/")
    return cookie(c)


@task("payload")
def test_small_payload():
    data = {"user": "alice", "cart": ["apple", "pear"]}
    expect(exercise.decode_payload(real_cookie(data)), data, "decode.small")


@task("payload")
def test_payload_that_needs_base64_padding():
    for user in ("a", "ab", "abc", "abcd"):
        expect(exercise.decode_payload(real_cookie({"user": user})), {"user": user}, "decode.padding", user=user)


@task("payload")
def test_compressed_payload():
    data = {"notes": ["the same words again"] * 40}
    value = real_cookie(data)
    expect(value[:1], ".", "decode.not_compressed")
    expect(exercise.decode_payload(value), data, "decode.compressed")


@task("payload")
def test_signature_is_not_checked():
    value = real_cookie({"user": "alice"})
    expect(exercise.decode_payload(value[:-4] + "AAAA"), {"user": "alice"}, "decode.anyone_reads")


@task("timestamp")
def test_timestamp():
    expect(exercise.decode_timestamp(real_cookie({"user": "alice"})), SIGNED_AT, "decode.timestamp")


@task("timestamp")
def test_timestamp_of_compressed_cookie():
    expect(exercise.decode_timestamp(real_cookie({"notes": ["again"] * 80})), SIGNED_AT, "decode.timestamp_compressed")
