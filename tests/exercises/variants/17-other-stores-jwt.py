import base64
import hashlib
import hmac
import json
import time

from flask import Flask, request

SECRET = b"a key only this server knows"
ALGORITHM = "HS256"

app = Flask(__name__)


class InvalidToken(Exception):
    pass


def _part(text):
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise InvalidToken("bad base64") from None


def claims_of(token):
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("three parts expected")
    try:
        header = json.loads(_part(parts[0]))
    except ValueError:
        raise InvalidToken("bad header") from None
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise InvalidToken("algorithm")
    mac = hmac.new(SECRET, digestmod=hashlib.sha256)
    mac.update((parts[0] + "." + parts[1]).encode())
    if not hmac.compare_digest(mac.digest(), _part(parts[2])):
        raise InvalidToken("signature")
    claims = json.loads(_part(parts[1]))
    if "exp" in claims and not time.time() < claims["exp"]:
        raise InvalidToken("expired")
    return claims


@app.route("/me")
def me():
    scheme, _, tok = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not tok:
        return {"error": "no token"}, 401
    try:
        return {"user_id": claims_of(tok)["user_id"]}
    except InvalidToken as e:
        return {"error": str(e)}, 401
