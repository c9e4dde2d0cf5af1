"""Helpers for the tests of Flask Session Lab's exercises.

- ``client(app)``: Flask's own test client; every request any test client makes while a test runs is recorded
  as an exchange (method, URL, request headers, status, response headers, body) for the results.
- ``expect``, ``expect_true``, ``fail``: failures by message key, with parameters and expected vs actual.
- ``sign_session``, ``unsign_session``, ``peek_session``: session cookies made and read by the real Flask
  serializer (itsdangerous' ``URLSafeTimedSerializer`` as Flask configures it).
- ``frozen_clock(t)``: ``time.time()`` returns ``t`` (plus what ``advance`` adds) until the test ends.
- ``task(id)``: marks which task of the exercise a test belongs to.

Pure Python, the same under CPython and Pyodide.
"""

import json
import re
import time as _time

_messages = {}
_lang = "en"
_recording = None
BODY_CAP = 4000


# --- messages -------------------------------------------------------------------------------------------------


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(![rs])?\}")


def format_message(messages, key, params):
    """The text of ``key`` with each ``{name}`` (or ``{name!r}``) of ``params`` filled in.

    Only fields named in ``params`` are replaced; any other brace (a JSON example in the text) stays as written.
    A key with no text gives the key itself and its parameters.
    """
    text = messages.get(key)
    if text is None:
        return key + (" " + json.dumps(params, ensure_ascii=False, default=repr) if params else "")

    def fill(m):
        name, conv = m.group(1), m.group(2)
        if name not in params:
            return m.group(0)
        value = params[name]
        if conv == "!r":
            return show(value)
        return value if isinstance(value, str) else show(value)

    return _FIELD.sub(fill, text)


def configure(messages, lang):
    """Called by the runner: the messages (already in the learner's language) the helpers look keys up in."""
    global _messages, _lang
    _messages = dict(messages)
    _lang = lang


def lang():
    """The learner's language: "en" or "zh-CN"."""
    return _lang


def msg(key, /, **params):
    """The text of a message key in the learner's language."""
    return format_message(_messages, key, params)


def show(value):
    """A short Python-literal view of a value for expected/actual lines."""
    if isinstance(value, bytes):
        text = repr(value)
    elif isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 - a learner's object whose repr fails
            text = "<" + type(value).__name__ + ">"
    return text if len(text) <= 500 else text[:500] + "…"


class Failure(AssertionError):
    """A failed check: a message key with parameters, and optionally the expected and actual values."""

    _NOTHING = object()

    def __init__(self, key, params=None, expected=_NOTHING, actual=_NOTHING):
        super().__init__(key)
        self.key = key
        self.params = dict(params or {})
        self.has_expected = expected is not Failure._NOTHING
        self.expected = None if not self.has_expected else expected
        self.actual = None if not self.has_expected else actual

    def __str__(self):
        return msg(self.key, **self.params)


def fail(key, /, **params):
    """Fails the test with the message ``key``."""
    raise Failure(key, params)


def expect(actual, expected, key, /, **params):
    """Fails with ``key`` (and expected vs actual) unless ``actual == expected``."""
    if not (actual == expected):
        raise Failure(key, params, expected, actual)


def expect_true(condition, key, /, **params):
    """Fails with ``key`` unless ``condition`` is true."""
    if not condition:
        raise Failure(key, params)


def task(task_id):
    """Decorator: the test checks task ``task_id`` of exercise.json."""

    def mark(fn):
        fn.task_id = task_id
        return fn

    return mark


# --- recording the HTTP exchanges -----------------------------------------------------------------------------


def start_recording():
    """Starts a new list of exchanges and returns it (the runner calls this before each test)."""
    global _recording
    _install_recorder()
    _recording = []
    return _recording


def stop_recording():
    global _recording
    _recording = None


def reset_recording():
    stop_recording()


def _headers(headers):
    return [[k, v] for k, v in headers.items()]


def _body(response):
    try:
        data = response.get_data()
    except Exception:  # noqa: BLE001 - a streamed body already consumed
        return ""
    text = data.decode("utf-8", "replace")
    return text if len(text) <= BODY_CAP else text[:BODY_CAP] + "…"


def _record(response):
    if _recording is None:
        return
    chain = list(getattr(response, "history", ()) or ()) + [response]
    for resp in chain:
        req = getattr(resp, "request", None)
        _recording.append(
            {
                "method": req.method if req is not None else "",
                "url": req.url if req is not None else "",
                "request_headers": _headers(req.headers) if req is not None else [],
                "status": resp.status_code,
                "response_headers": _headers(resp.headers),
                "body": _body(resp),
            }
        )


_installed = False


def _install_recorder():
    """Wraps Werkzeug's test client ``open`` once, so requests made by any test client are recorded."""
    global _installed
    if _installed:
        return
    from werkzeug.test import Client

    original = Client.open

    def open(self, *args, **kwargs):  # noqa: A001 - same name as the method it wraps
        # Redirects followed by this client call open again: record the chain once, from the outer call.
        # A request another client makes in the middle of this one is recorded on its own, when it ends.
        depth = self.__dict__.get("_flasklab_depth", 0)
        self.__dict__["_flasklab_depth"] = depth + 1
        try:
            response = original(self, *args, **kwargs)
        finally:
            self.__dict__["_flasklab_depth"] = depth
        if depth == 0:
            _record(response)
        return response

    open.__doc__ = original.__doc__
    Client.open = open
    _installed = True


def client(app):
    """Flask's test client for ``app``; exceptions in views reach the test with the learner's traceback."""
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return app.test_client()


def cookie(test_client, name="session", path="/"):
    """The value the test client's cookie jar holds for ``name`` (or None)."""
    c = test_client.get_cookie(name, path=path)
    return None if c is None else c.value


def require_cookie(test_client, name="session", path="/"):
    """Like ``cookie``, but fails the test with a clear message when the jar holds no such cookie."""
    value = cookie(test_client, name, path)
    if value is None:
        fail("runner.no_cookie", name=name)
    return value


def set_cookies(response, name=None):
    """The ``Set-Cookie`` header lines of a response (only those for ``name`` when given)."""
    lines = response.headers.getlist("Set-Cookie")
    if name is None:
        return lines
    return [line for line in lines if line.split("=", 1)[0].strip() == name]


def parse_set_cookie(line):
    """A ``Set-Cookie`` line as (name, value, {attribute lowercased: value or True})."""
    parts = [p.strip() for p in line.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        if not p:
            continue
        k, eq, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if eq else True
    return name.strip(), value, attrs


def http_date_seconds(text):
    """Seconds since the epoch of an HTTP date (``Expires``)."""
    from email.utils import parsedate_to_datetime

    return int(parsedate_to_datetime(text).timestamp())


# --- session cookies, made and read by the real Flask serializer ---------------------------------------------


def session_serializer(secret_key, fallbacks=()):
    """Flask's own cookie serializer for ``secret_key`` (as ``SecureCookieSessionInterface`` builds it)."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    app = Flask("flasklab_keys")
    app.secret_key = secret_key
    if fallbacks:
        app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    return SecureCookieSessionInterface().get_signing_serializer(app)


def sign_session(data, secret_key):
    """A session cookie value holding ``data``, signed with ``secret_key`` exactly as Flask signs it."""
    return session_serializer(secret_key).dumps(dict(data))


def unsign_session(value, secret_key, max_age=None):
    """The data of a session cookie, or None when its signature (or age) does not hold under ``secret_key``."""
    from itsdangerous import BadSignature

    try:
        return session_serializer(secret_key).loads(value, max_age=max_age)
    except BadSignature:
        return None


def session_data(test_client, name="session"):
    """The data in the session cookie the test client's jar holds, unverified; fails the test when there is none."""
    value = require_cookie(test_client, name)
    data = peek_session(value)
    if data is None:
        fail("runner.unreadable_cookie", name=name)
    return data


def peek_session(value):
    """The data of a session cookie without checking its signature (what anyone holding the cookie can read)."""
    ser = session_serializer(b"-")
    ok, data = ser.loads_unsafe(value)
    return data


# --- a clock the tests control --------------------------------------------------------------------------------

_real_time = None
_offset = [0.0]


def frozen_clock(t):
    """From now until the test ends ``time.time()`` returns ``t`` plus whatever ``advance`` adds."""
    global _real_time
    if _real_time is None:
        _real_time = _time.time
    _offset[0] = float(t)
    _time.time = lambda: _offset[0]


def advance(seconds):
    """Moves the frozen clock forward."""
    if _real_time is None:
        raise RuntimeError("advance() needs frozen_clock() first")
    _offset[0] += seconds


def restore_clock():
    global _real_time
    if _real_time is not None:
        _time.time = _real_time
        _real_time = None
