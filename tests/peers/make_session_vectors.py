"""Writes tests/vectors/cookie_sessions.json: frozen cookie-session cases produced by Debian's real Flask.

Run with /usr/bin/python3 (Flask 2.2.2, itsdangerous 2.1.2) from the repository root:

    /usr/bin/python3 tests/peers/make_session_vectors.py

The values are drawn from a seeded generator, so the file is the same on every run. Each case holds its
inputs in the neutral wire form of flask_peer.py and what Flask produced: signed tokens at a fixed
timestamp, what Flask loads back, the error class and message of refused tokens, and the Set-Cookie
headers of whole requests. tests/engine/flask/conformance_vectors.test.ts replays them in Node and Chromium.

With --stdout it prints the data instead of writing the file; it runs under the modern judge too (Flask 3.1.1),
and tests/conformance/cookie_sessions_live.test.ts checks that both judges give the frozen file's cases.
"""

import json
import os
import random
import sys
import uuid
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import flask_peer as peer  # noqa: E402
from markupsafe import Markup  # noqa: E402

SEED = 20231114
rng = random.Random(SEED)

TAG_KEYS = [" di", " t", " b", " m", " u", " d"]
CHARS = list("abcXYZ019 _-\"\\/'<>&") + ["é", "ß", "中", "文", "☃", "😀", "𝄞", "\u2028", "\x7f", "\x00", "\x1f", "\ufeff", "\uffff", "👩\u200d💻"]
FLOATS = [2.0, 1e16, 1e-7, -0.0, float("nan"), float("inf"), float("-inf"), 5e-324, 1e22, 0.1, 1e-4, 123.456, -2.5, 9.999999999999999e15]


def rand_str(n=8):
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(0, n)))


def rand_key():
    return rng.choice(TAG_KEYS) if rng.random() < 0.15 else rand_str(6)


def rand_leaf():
    kind = rng.randrange(11)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(10**6), 10**6)
    if kind == 3:
        return rng.choice([1, -1]) * rng.randint(2**53, 2**90)
    if kind == 4:
        return rng.choice(FLOATS) if rng.random() < 0.6 else rng.uniform(-1e6, 1e6)
    if kind == 5:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
    if kind == 6:
        return Markup(rand_str())
    if kind == 7:
        return uuid.UUID(int=rng.getrandbits(128))
    if kind == 8:
        return datetime(1, 1, 1) + timedelta(milliseconds=rng.randint(0, 315537897599999))
    return rand_str()


def rand_tree(depth=0):
    if depth >= 3 or rng.random() < 0.55:
        return rand_leaf()
    kind = rng.randrange(6)
    n = rng.randint(0, 4)
    if kind == 0:
        return [rand_tree(depth + 1) for _ in range(n)]
    if kind == 1:
        return tuple(rand_tree(depth + 1) for _ in range(n))
    if kind == 2:
        return {rand_key(): rand_tree(depth + 1) for _ in range(n)}
    if kind == 3:
        return {rng.randint(-1000, 1000): rand_tree(depth + 1) for _ in range(n)}
    if kind == 4:
        return {rng.choice(TAG_KEYS): rand_tree(depth + 1)}
    return {rand_key(): rand_tree(depth + 1) for _ in range(n)}


def rand_session():
    d = {rand_key(): rand_tree() for _ in range(rng.randint(0, 5))}
    if rng.random() < 0.3:
        d["_permanent"] = rng.random() < 0.5
    if rng.random() < 0.3:
        d["list"] = [f"item-{i % 5}" for i in range(rng.randint(5, 60))]
    return d


def rand_config():
    keys = [rng.choice(["dev", "s3cr3t", "ключ", "秘密🔑", rand_str(10) or "k"]) for _ in range(rng.randint(1, 3))]
    return {
        "keys": keys,
        "salt": rng.choice(["cookie-session", "itsdangerous", "sälz", "盐🧂", "", rand_str(5)]),
        "kd": rng.choice(["concat", "django-concat", "hmac", "none"]),
        "digest": rng.choice(["sha1", "sha256", "sha512"]),
    }


def sign_cases(n):
    out = []
    for _ in range(n):
        cfg = rand_config()
        value = rand_session()
        ts = rng.choice([1700000000, rng.randint(0, 2**32 - 1)])
        signed = peer.op_sign({**cfg, "value": peer.to_wire(value), "ts": ts})
        loaded = peer.op_load({**cfg, "token": signed["token"], "now": ts, "max_age": None})
        out.append({**cfg, "value": peer.to_wire(value), "ts": ts, "token": signed["token"], "loaded": loaded["value"], "dump": loaded["dump"]})
    return out


MUTATIONS = [
    lambda t: t[:-1] + ("B" if t.endswith("A") else "A"),
    lambda t: t[:-1],
    lambda t: t + "==",
    lambda t: t.replace(".", "", 1),
    lambda t: t.replace(".", "", 2),
    lambda t: "garbage",
    lambda t: "",
    lambda t: t.rsplit(".", 1)[0],
]


def error_cases(n):
    out = []
    for _ in range(n):
        cfg = rand_config()
        ts = rng.randint(10**9, 2 * 10**9)
        token = peer.op_sign({**cfg, "value": peer.to_wire({"a": 1}), "ts": ts})["token"]
        choice = rng.randrange(4)
        if choice == 0:
            token = rng.choice(MUTATIONS)(token)
            now, max_age = ts, 100
        elif choice == 1:
            max_age = rng.randint(0, 10**6)
            now = ts + max_age + rng.randint(1, 10**6)
        elif choice == 2:
            max_age, now = 100, ts - rng.randint(1, 10**5)
        else:
            cfg = {**cfg, "keys": ["not-the-key"]}
            now, max_age = ts, None
        r = peer.op_load({**cfg, "token": token, "now": now, "max_age": max_age})
        case = {**cfg, "token": token, "now": now, "max_age": max_age}
        case.update({"error": {"cls": r["error"]["cls"], "msg": r["error"]["msg"]}} if not r["ok"] else {"loaded": r["value"]})
        out.append(case)
    return out


def request_cases(n):
    out = []
    for _ in range(n):
        actions = []
        for _ in range(rng.randint(0, 4)):
            kind = rng.randrange(5)
            if kind <= 1:
                actions.append(["set", peer.to_wire(rand_key()), peer.to_wire(rand_tree())])
            elif kind == 2:
                actions.append(["permanent", rng.random() < 0.5])
            elif kind == 3:
                actions.append(["clear"])
            else:
                actions.append(["get", peer.to_wire(rand_key())])
        now = rng.randint(10**9, 2 * 10**9)
        config = {"SESSION_REFRESH_EACH_REQUEST": rng.random() < 0.7, "PERMANENT_SESSION_LIFETIME": rng.randint(1, 10**8)}
        cookie = None
        if rng.random() < 0.5:
            cfg = {"keys": ["dev"], "salt": "cookie-session", "kd": "hmac", "digest": "sha1"}
            cookie = peer.op_sign({**cfg, "value": peer.to_wire(rand_session()), "ts": now - 1})["token"]
        r = peer.op_save({"secret_key": "dev", "now": now, "cookie": cookie, "config": config, "actions": actions})
        # Only cases where Flask 2.2's `accessed` agrees with 3.1.3's (any use of the session).
        if r["accessed"] != bool(actions):
            continue
        out.append({"now": now, "cookie": cookie, "config": config, "actions": actions, "status": r["status"], "set_cookie": r["set_cookie"], "vary": r["vary"], "reads": r["reads"]})
    return out


def main():
    data = {
        "about": "Produced by tests/peers/make_session_vectors.py with Debian's Flask %s / itsdangerous %s; seed %d." % (peer.flask_version(), peer.itsdangerous_version(), SEED),
        "sign": sign_cases(120),
        "errors": error_cases(60),
        "requests": request_cases(50),
    }
    if sys.argv[1:] == ["--stdout"]:  # for a test that compares a judge's answers with the frozen file
        json.dump(data, sys.stdout, ensure_ascii=True, indent=1)
        sys.stdout.write("\n")
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "vectors", "cookie_sessions.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(data['sign'])} sign, {len(data['errors'])} errors, {len(data['requests'])} requests")


if __name__ == "__main__":
    main()
