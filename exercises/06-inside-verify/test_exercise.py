from itsdangerous import Signer

from flasklab import expect, sign_session, task

import exercise

KEY = b"s3cr3t key of the shop"


@task("derive")
def test_derived_key_is_what_flask_uses():
    expected = Signer(KEY, salt="cookie-session", key_derivation="hmac", digest_method="sha1").derive_key()
    expect(exercise.derive_key(KEY), expected, "verify.derive")


@task("derive")
def test_derived_key_depends_on_the_secret():
    expect(exercise.derive_key(b"one") != exercise.derive_key(b"two"), True, "verify.derive_differs")


@task("verify")
def test_real_cookie_verifies():
    expect(exercise.verify(sign_session({"user": "alice"}, KEY), KEY), True, "verify.good")


@task("verify")
def test_compressed_cookie_verifies():
    value = sign_session({"notes": ["again and again"] * 50}, KEY)
    expect(value[:1], ".", "verify.not_compressed")
    expect(exercise.verify(value, KEY), True, "verify.good_compressed")


@task("verify")
def test_wrong_key_fails():
    expect(exercise.verify(sign_session({"user": "alice"}, KEY), b"guess"), False, "verify.wrong_key")


@task("verify")
def test_tampered_payload_fails():
    good = sign_session({"user": "alice"}, KEY)
    forged_payload = sign_session({"user": "admin"}, KEY).split(".")[0]
    other = sign_session({"user": "admin"}, b"attacker key")
    tampered = forged_payload + good[good.index("."):]
    expect(exercise.verify(tampered, KEY), False, "verify.tampered")
    expect(exercise.verify(other, KEY), False, "verify.other_key")


@task("verify")
def test_garbage_is_false():
    for junk in ("", "no-dots-here", "1.2.3", "..."):
        expect(exercise.verify(junk, KEY), False, "verify.garbage", value=junk)
