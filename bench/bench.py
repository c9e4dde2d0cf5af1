"""The Python half of `npm run bench`: Debian's Flask signing, verifying and a wordlist loop over itsdangerous.

Usage: /usr/bin/python3 bench/bench.py WORDLIST SECONDS [PART]
PART is `sessions` (sign and verify), `crack` or `json` (json.loads and Flask's tagged loads of large texts, built
as bench.ts builds them); all three by default. bench.ts runs `crack` just before its own crack, so that both
sides of a ratio see the same load on a shared machine, and measures the rest with PART `windows`: one measurement at
a time on request, for bench.ts to alternate with its own: it prints the sessions and cookies, then answers each
stdin line `sign NAME` or `verify NAME` with one window's rates, and `json NAME` with the seconds of one json.loads
and one tagged loads of that json_texts() text, until `quit`.
Prints one JSON object: operation rates (or seconds, for json), the session and cookie used, interpreter versions.
"""

import hashlib
import json
import platform
import sys
import time

import flask
import itsdangerous
from flask import Flask
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from itsdangerous import BadSignature, URLSafeTimedSerializer

wordlist_path, seconds = sys.argv[1], float(sys.argv[2])
parts = sys.argv[3:] or ["sessions", "crack", "json"]
with open(wordlist_path, "rb") as f:
    words = [line[:-1] if line.endswith(b"\r") else line for line in f.read().split(b"\n")]
if words and words[-1] == b"":
    words.pop()
secret = words[-1].decode()

# Two realistic sessions: a small one whose JSON does not compress, and one with a cart that does
# (itsdangerous then stores it zlib-compressed, with a leading "." in the cookie).
SESSIONS = {
    "small": {"user_id": 42, "csrf": "9c4b1e7f0a3d5c2e8b6f4a1d3c5e7b9f", "cart": [1017, 2044, 3091]},
    "cart": {
        "user_id": 42,
        "csrf": "9c4b1e7f0a3d5c2e8b6f4a1d3c5e7b9f",
        "cart": [{"sku": "A-1001", "qty": 2}, {"sku": "B-2002", "qty": 1}, {"sku": "C-3003", "qty": 5}],
        "theme": "dark",
    },
}
MAX_AGE = 2678400

app = Flask("bench")
app.secret_key = secret


def rate(fn):
    """Calls of fn per wall-clock second (time.perf_counter) and per CPU second (time.process_time): for each,
    the best of 3 windows of `seconds` / 3, so a burst of load elsewhere on the machine does not decide it."""
    best_wall = best_cpu = 0.0
    for _ in range(3):
        calls = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        while True:
            for _ in range(100):
                fn()
            calls += 100
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / 3:
                break
        best_wall = max(best_wall, calls / elapsed)
        best_cpu = max(best_cpu, calls / max(time.process_time() - cpu_start, 1e-9))
    return {"wall": best_wall, "cpu": best_cpu}


def window(fn):
    """Calls of fn per wall-clock second and per CPU second over one window of `seconds` / 3."""
    calls = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while True:
        for _ in range(100):
            fn()
        calls += 100
        elapsed = time.perf_counter() - start
        if elapsed >= seconds / 3:
            break
    return {"wall": calls / elapsed, "cpu": calls / max(time.process_time() - cpu_start, 1e-9)}


def windows_part():
    serializer = lambda: SecureCookieSessionInterface().get_signing_serializer(app)
    with app.app_context():
        cookies = {name: serializer().dumps(session) for name, session in SESSIONS.items()}
        print(json.dumps({
            "python": platform.python_version(),
            "flask": flask.__version__,
            "itsdangerous": itsdangerous.__version__,
            "sessions": {name: {"session": session_json_serializer.dumps(SESSIONS[name]), "cookie": c} for name, c in cookies.items()},
        }), flush=True)
        texts = None
        for line in sys.stdin:
            op, _, name = line.strip().partition(" ")
            if op == "quit":
                break
            if op == "json":
                texts = texts or json_texts()
                print(json.dumps({"bytes": len(texts[name]), **json_once(texts[name])}), flush=True)
                continue
            session, cookie = SESSIONS[name], cookies[name]
            fn = (lambda: serializer().dumps(session)) if op == "sign" else (lambda: serializer().loads(cookie, max_age=MAX_AGE))
            print(json.dumps(window(fn)), flush=True)


def sessions_part():
    results = {}
    with app.app_context():
        for name, session in SESSIONS.items():
            serializer = lambda: SecureCookieSessionInterface().get_signing_serializer(app)
            cookie = serializer().dumps(session)
            assert serializer().loads(cookie, max_age=MAX_AGE) == session
            results[name] = {
                "session": session_json_serializer.dumps(session),
                "cookie": cookie,
                "sign": rate(lambda: serializer().dumps(session)),
                "verify": rate(lambda: serializer().loads(cookie, max_age=MAX_AGE)),
            }
    return {"sessions": results}


def crack_part():
    with app.app_context():
        cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps(SESSIONS["small"])

    def try_word(word):
        try:
            URLSafeTimedSerializer(
                word,
                salt="cookie-session",
                serializer=session_json_serializer,
                signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
            ).loads(cookie)
            return True
        except BadSignature:
            return False

    # The loop really does find the key: check it on the last line before timing it.
    assert try_word(words[-1]) and not try_word(words[0])
    # Three windows over successive parts of the list, best rate kept, as for the other measurements.
    tried = 0
    found = None
    crack_rate = crack_cpu_rate = 0.0
    remaining = iter(words)
    for _ in range(3):
        window_tried = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        deadline = start + seconds / 3
        for word in remaining:
            window_tried += 1
            if try_word(word):
                found = word
                break
            if window_tried % 500 == 0 and time.perf_counter() >= deadline:
                break
        tried += window_tried
        crack_rate = max(crack_rate, window_tried / (time.perf_counter() - start))
        crack_cpu_rate = max(crack_cpu_rate, window_tried / max(time.process_time() - cpu_start, 1e-9))
        if found is not None:
            break
    return {
        "crack": {"wall": crack_rate, "cpu": crack_cpu_rate},
        "crack_cookie": cookie,
        "crack_tried": tried,
        "crack_total": len(words),
        "crack_found": found is not None,
    }


def json_texts():
    """Large documents, the same text as bench.ts builds: what one hostile cookie can inflate to, and bulkier
    realistic shapes."""
    return {
        "empty dicts": "[" + ",".join(["{}"] * 2_666_666) + "]",
        "cart items": "[" + ",".join(['{"qty":2,"sku":"A-1001"}'] * 250_000) + "]",
        "strings": "[" + ",".join(['"9c4b1e7f0a3d5c2e8b6f4a1d3c5e7b9f"'] * 220_000) + "]",
        "numbers": "[" + ",".join(str(i * 7919 % 1000003) for i in range(1_100_000)) + "]",
        "tuple tags": "[" + ",".join(['{" t":[1,2]}'] * 600_000) + "]",
    }


def json_once(text):
    """Seconds for one json.loads and one TaggedJSONSerializer.loads of text, wall and CPU."""
    timings = {}
    for label, fn in (("json", json.loads), ("tagged", session_json_serializer.loads)):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn(text)
        timings[label] = {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu_start}
    return timings


def json_part():
    """Seconds for one json.loads and one TaggedJSONSerializer.loads of each text: the best of 3, wall and CPU."""
    out = {}
    for name, text in json_texts().items():
        timings = {}
        for label, fn in (("json", json.loads), ("tagged", session_json_serializer.loads)):
            wall = cpu = float("inf")
            for _ in range(3):
                start, cpu_start = time.perf_counter(), time.process_time()
                fn(text)
                wall = min(wall, time.perf_counter() - start)
                cpu = min(cpu, time.process_time() - cpu_start)
            timings[label] = {"wall": wall, "cpu": cpu}
        out[name] = {"bytes": len(text), **timings}
    return {"json": out}


if parts == ["windows"]:
    windows_part()
    sys.exit(0)
result = {
    "python": platform.python_version(),
    "flask": flask.__version__,
    "itsdangerous": itsdangerous.__version__,
}
for part in parts:
    result.update({"sessions": sessions_part, "crack": crack_part, "json": json_part}[part]())
print(json.dumps(result))
