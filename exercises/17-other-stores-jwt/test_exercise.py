import base64
import hashlib
import hmac
import json
import time

from flasklab import advance, client, expect, frozen_clock, task

import exercise

NOW = 1700000000


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(payload, key=exercise.SECRET, header=None, sign=True):
    h = b64(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    p = b64(json.dumps(payload).encode())
    sig = b64(hmac.new(key, f"{h}.{p}".encode(), hashlib.sha256).digest()) if sign else ""
    return f"{h}.{p}.{sig}"


def me(tok):
    return client(exercise.app).get("/me", headers={"Authorization": f"Bearer {tok}"})


@task("valid")
def test_signed_token_is_accepted():
    frozen_clock(NOW)
    r = me(token({"user_id": 42, "exp": NOW + 3600}))
    expect(r.status_code, 200, "jwt.valid")
    expect(r.get_json(), {"user_id": 42}, "jwt.valid")


@task("valid")
def test_no_token_is_401():
    expect(client(exercise.app).get("/me").status_code, 401, "jwt.no_token")


@task("forged")
def test_alg_none_is_refused():
    frozen_clock(NOW)
    forged = token({"user_id": 1}, header={"alg": "none", "typ": "JWT"}, sign=False)
    expect(me(forged).status_code, 401, "jwt.alg_none")


@task("forged")
def test_other_algorithm_is_refused():
    frozen_clock(NOW)
    # Signed correctly with HMAC-SHA256, yet the header claims HS512: a verifier that lets the header pick the
    # algorithm (or ignores it) is not checking what the server decided.
    claims_hs512 = token({"user_id": 1, "exp": NOW + 60}, header={"alg": "HS512", "typ": "JWT"})
    expect(me(claims_hs512).status_code, 401, "jwt.other_alg")


@task("forged")
def test_changed_payload_is_refused():
    frozen_clock(NOW)
    good = token({"user_id": 42, "exp": NOW + 60})
    h, _, s = good.split(".")
    changed = f"{h}.{b64(json.dumps({'user_id': 1, 'exp': NOW + 60}).encode())}.{s}"
    expect(me(changed).status_code, 401, "jwt.changed")


@task("forged")
def test_signature_prefix_is_not_enough():
    frozen_clock(NOW)
    good = token({"user_id": 42, "exp": NOW + 60})
    h, p, s = good.split(".")
    raw = base64.urlsafe_b64decode(s + "=")
    tampered = f"{h}.{p}.{b64(raw[:4] + bytes(28))}"
    expect(me(tampered).status_code, 401, "jwt.prefix")


@task("forged")
def test_other_key_is_refused():
    frozen_clock(NOW)
    expect(me(token({"user_id": 42, "exp": NOW + 60}, key=b"guessed")).status_code, 401, "jwt.other_key")


@task("expired")
def test_expired_token_is_refused():
    frozen_clock(NOW)
    tok = token({"user_id": 42, "exp": NOW + 60})
    expect(me(tok).status_code, 200, "jwt.valid")
    advance(60)
    expect(me(tok).status_code, 401, "jwt.expired")
