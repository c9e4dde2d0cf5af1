"""Where Flask gives up on a deeply nested session payload, under the judge that runs this file.

Serves a Flask app with Werkzeug's threaded development server (what `flask run` uses) on a free loopback port, and
for each shape read from stdin finds, by bisection over real requests, the deepest nesting whose session still
loads; deeper, open_session raises BadPayload (Python's RecursionError inside). The cookie is signed with the
app's key over the raw payload text, compressed as itsdangerous compresses it.

stdin:  {"key": str, "shapes": [[name, before, opening, middle, closing, after], ...]}; a payload of depth n
        is before + opening * n + middle + closing * n + after.
stdout: {"python": version, "flask": version, "limits": {name: n}}
"""

import base64
import hashlib
import importlib.metadata
import json
import logging
import platform
import sys
import threading
import urllib.error
import urllib.request
import zlib

from flask import Flask, session
from itsdangerous import TimestampSigner
from werkzeug.serving import make_server

# Every refused payload would log a traceback a thousand frames long.
logging.disable(logging.CRITICAL)
request = json.load(sys.stdin)
key = request["key"]

app = Flask("recursion")
app.secret_key = key


@app.errorhandler(Exception)
def failed(e):
    # An exception in open_session reaches the handler wrapped in InternalServerError.
    return type(getattr(e, "original_exception", None) or e).__name__, 500


@app.route("/")
def index():
    return "ok %d" % len(session)


server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
signer = TimestampSigner(key, salt="cookie-session", key_derivation="hmac", digest_method=hashlib.sha1)


def loads(text):
    payload = b"." + base64.urlsafe_b64encode(zlib.compress(text.encode())).rstrip(b"=")
    cookie = signer.sign(payload).decode()
    req = urllib.request.Request("http://127.0.0.1:%d/" % server.port, headers={"Cookie": "session=" + cookie})
    try:
        body = urllib.request.urlopen(req).read().decode()
    except urllib.error.HTTPError as e:
        body = e.read().decode()
    return body != "BadPayload"


def deepest(before, opening, middle, closing, after):
    lo, hi = 0, 4096
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if loads(before + opening * mid + middle + closing * mid + after):
            lo = mid
        else:
            hi = mid - 1
    return lo


# Twice, keeping the second answer: the first pass warms the interpreter up (Python 3.11's specialised calls use
# the stack a little differently from the first calls).
passes = [{name: deepest(*parts) for name, *parts in request["shapes"]} for _ in range(2)]
limits = passes[-1]
if "--passes" in sys.argv:
    print(json.dumps(passes), file=sys.stderr)
server.shutdown()
print(json.dumps({"python": platform.python_version(), "flask": importlib.metadata.version("flask"), "limits": limits}))
