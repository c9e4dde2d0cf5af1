import base64
import hashlib
import hmac
import json
import time

from flask import Flask, jsonify, request

SECRET = b"a key only this server knows"

app = Flask(__name__)


def b64url_decode(part):
    """base64url without padding, as every part of a JWT is written."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_jwt(token, key):
    """Returns the payload of an HS256 token signed with ``key``; raises ValueError for any other token.

    This version trusts what the token says about itself. Fix it.
    """
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    payload = json.loads(b64url_decode(payload_b64))
    if header.get("alg") == "none":
        return payload
    expected = hmac.new(key, f"{header_b64}.{payload_b64}".encode(), hashlib.sha256).digest()
    if expected[:4] != b64url_decode(signature_b64)[:4]:
        raise ValueError("bad signature")
    return payload


@app.get("/me")
def me():
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return jsonify(error="no token"), 401
    try:
        claims = verify_jwt(auth[len("Bearer "):], SECRET)
    except ValueError as e:
        return jsonify(error=str(e)), 401
    return jsonify(user_id=claims["user_id"])
