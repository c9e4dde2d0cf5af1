"""Evaluates the Python snippets the lesson demos print next to engine output, with Debian's Flask.

Reads JSON on stdin: {"attributes": [...], "ops": [...], "tags": [...], "token": {...}} and prints
what the real Flask/Werkzeug produce for each, so the tests can compare them with the engine.
"""
import hashlib
import inspect
import json
import sys
from datetime import datetime, timezone  # noqa: F401  (used by the evaluated snippets)
from uuid import UUID  # noqa: F401

import itsdangerous.timed
from flask import Flask
from flask.sessions import SecureCookieSession, session_json_serializer
from itsdangerous import URLSafeTimedSerializer
from markupsafe import Markup  # noqa: F401
from werkzeug.wrappers import Response

itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: 1700000000

req = json.load(sys.stdin)
out = {}

supported = set(inspect.signature(Response.set_cookie).parameters)
attributes = []
for call in req["attributes"]:
    resp = Response()
    kwargs_used = [k for k in ("expires", "max_age", "path", "domain", "secure", "httponly", "samesite", "partitioned") if f"{k}=" in call]
    if not set(kwargs_used) <= supported:
        attributes.append(None)  # this Werkzeug does not know the argument
        continue
    eval("resp." + call, {"resp": resp, "datetime": datetime, "timezone": timezone})
    attributes.append(resp.headers.getlist("Set-Cookie")[0])
out["attributes"] = attributes

ops = []
for op in req["ops"]:
    session = SecureCookieSession({"user": "alice", "cart": ["apple"]})
    exec(op, {"session": session})
    ops.append(session.modified)
out["ops"] = ops

app = Flask(__name__)
tags = []
with app.app_context():
    for expr in req["tags"]:
        tags.append(session_json_serializer.dumps({"v": eval(expr)}))
out["tags"] = tags

tok = req["token"]
with app.app_context():
    s = URLSafeTimedSerializer(tok["key"], salt="cookie-session", serializer=session_json_serializer,
                               signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    out["token"] = s.dumps(tok["data"])
    out["derived_key"] = s.make_signer().derive_key().hex()
print(json.dumps(out))
