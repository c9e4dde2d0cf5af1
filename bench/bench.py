"""The Python half of `npm run bench`: Debian's Flask signing, verifying and a wordlist loop over itsdangerous.

Usage: /usr/bin/python3 bench/bench.py WORDLIST SECONDS
Prints one JSON object: operation rates, the session and cookie used, and interpreter versions.
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
cookie = results["small"]["cookie"]


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

print(json.dumps({
    "sessions": results,
    "crack": {"wall": crack_rate, "cpu": crack_cpu_rate},
    "crack_tried": tried,
    "crack_total": len(words),
    "crack_found": found is not None,
    "python": platform.python_version(),
    "flask": flask.__version__,
    "itsdangerous": itsdangerous.__version__,
}))
