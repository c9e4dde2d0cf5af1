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

SESSION = {
    "user_id": 42,
    "csrf": "9c4b1e7f0a3d5c2e8b6f4a1d3c5e7b9f",
    "cart": [{"sku": "A-1001", "qty": 2}, {"sku": "B-2002", "qty": 1}],
    "theme": "dark",
}
MAX_AGE = 2678400

app = Flask("bench")
app.secret_key = secret


def rate(fn):
    """Calls fn in batches until `seconds` have passed; returns calls per second."""
    calls = 0
    start = time.perf_counter()
    while True:
        for _ in range(200):
            fn()
        calls += 200
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return calls / elapsed


with app.app_context():
    sign_rate = rate(lambda: SecureCookieSessionInterface().get_signing_serializer(app).dumps(SESSION))
    cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps(SESSION)
    tagged = session_json_serializer.dumps(SESSION)
    assert SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie, max_age=MAX_AGE) == SESSION
    verify_rate = rate(lambda: SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie, max_age=MAX_AGE))


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
tried = 0
found = None
start = time.perf_counter()
deadline = start + seconds
for word in words:
    tried += 1
    if try_word(word):
        found = word
        break
    if tried % 1000 == 0 and time.perf_counter() >= deadline:
        break
crack_elapsed = time.perf_counter() - start

print(json.dumps({
    "sign": sign_rate,
    "verify": verify_rate,
    "crack": tried / crack_elapsed,
    "crack_tried": tried,
    "crack_total": len(words),
    "crack_found": found is not None,
    "cookie": cookie,
    "session": tagged,
    "python": platform.python_version(),
    "flask": flask.__version__,
    "itsdangerous": itsdangerous.__version__,
}))
