"""Runs the labs whose app is a real Flask app (src/labs/<slug>/app.py) and answers the lab runtime in JSON.

The lab runtime (src/labs/runtime.ts) keeps the action log, the victim's cookie jar and the solved state; this
module only holds the apps. One entry point, ``call(request_json)``, with ``request["op"]``:

``create``   {"id", "slug", "source", "seed", "mode", "prefix", "data"}: runs the lab's source as a fresh module
             and keeps the app its ``create(lab)`` returns under ``id``.  Answer: {}.
``request``  {"id", "at", "client", "method", "url", "headers", "body"?}: one request through the app's WSGI
             interface at the lab clock ``at``.  Answer: {"status", "headers", "body", "goal"}; ``goal`` is true
             when the app called ``lab.reach_goal()`` while answering.
``victim``   {"id", "action", "arg"?}: the requests the simulated victim's browser sends for this action, in
             order, from the module's ``victim(lab, action, arg)``.  Answer: {"requests": [...]}.
``dispose``  {"id"}: forgets the instance.

Every answer is {"ok": true, ...} or {"ok": false, "error": text, "kind": "input" | "unknown-instance" | "app"}.

Everything random in an app comes from its seed through :class:`Seeded`, the same byte stream as
src/labs/random.ts (HMAC-SHA256(seed, label NUL counter) blocks), so one seed gives the same secret key,
session ids and passwords here and in the engine's version of the lab.  The clock that signs cookies is the lab
clock, not the machine's, so replaying a log signs exactly the cookies the learner saw.
"""

import base64
import hashlib
import hmac
import json
import sys
import types
from collections import OrderedDict

import itsdangerous.timed
from werkzeug.test import EnvironBuilder, run_wsgi_app

#: Most instances one Python keeps; the least recently used goes first (the server caps its own list too).
MAX_INSTANCES = 500


class Seeded:
    """A deterministic byte stream for ``label`` under ``seed``; each call of :meth:`take` gives the next bytes."""

    def __init__(self, seed, label):
        self._key = seed.encode("utf-8")
        self._label = label
        self._counter = 0
        self._pool = b""

    def take(self, n):
        while len(self._pool) < n:
            block = hmac.new(self._key, ("%s\0%d" % (self._label, self._counter)).encode("utf-8"), hashlib.sha256).digest()
            self._counter += 1
            self._pool += block
        out, self._pool = self._pool[:n], self._pool[n:]
        return out

    def index(self, n):
        """A whole number in [0, n) from the next 4 bytes (big-endian, modulo n)."""
        return int.from_bytes(self.take(4), "big") % n

    def hex(self, n):
        return self.take(n).hex()

    def token_urlsafe(self, n):
        """What ``secrets.token_urlsafe(n)`` gives, from this stream's next n bytes."""
        return base64.urlsafe_b64encode(self.take(n)).rstrip(b"=").decode("ascii")


class _LabClock:
    """Stands in for the ``time`` module inside itsdangerous.timed: while a lab request is answered, signed cookies
    carry the lab clock; at any other time (an exercise checked in the same Python) the machine's clock."""

    now = 0
    active = False

    @classmethod
    def time(cls):
        return float(cls.now) if cls.active else _real_time.time()


_real_time = itsdangerous.timed.time
itsdangerous.timed.time = _LabClock


class Lab:
    """What an app module is given: its seed, mode, mount point and data, and the request being answered."""

    def __init__(self, slug, seed, mode, prefix, data):
        self.slug = slug
        self.seed = seed
        self.mode = mode
        self.prefix = prefix
        self.data = data
        self.client = "learner"
        self.goal = False

    @property
    def now(self):
        """The lab clock (whole Unix seconds) of the action being played."""
        return _LabClock.now

    def seeded(self, label):
        return Seeded(self.seed, label)

    def reach_goal(self):
        """The app observed the lab's goal; the only way a lab becomes solved."""
        self.goal = True


class LabInputError(Exception):
    """A request the app's module refuses (an unknown victim action): the learner reads the message."""


_instances = OrderedDict()


def _create(req):
    name = "flasklab_lab_" + req["slug"].replace("-", "_")
    module = types.ModuleType(name)
    module.__file__ = "/labs/%s/app.py" % req["slug"]
    sys.modules[name] = module
    exec(compile(req["source"], module.__file__, "exec"), module.__dict__)
    lab = Lab(req["slug"], req["seed"], req["mode"], req.get("prefix", ""), req.get("data") or {})
    app = module.create(lab)
    _instances[req["id"]] = (module, lab, app)
    while len(_instances) > MAX_INSTANCES:
        _instances.popitem(last=False)
    return {}


def _get(req):
    found = _instances.get(req["id"])
    if found is None:
        raise KeyError(req["id"])
    _instances.move_to_end(req["id"])
    return found


def _request(req):
    _, lab, app = _get(req)
    _LabClock.now = int(req["at"])
    lab.client = req.get("client", "learner")
    lab.goal = False
    path, _, query = req["url"].partition("?")
    body = req.get("body")
    builder = EnvironBuilder(
        path=path,
        query_string=query,
        method=req["method"],
        headers=[(k, v) for k, v in req["headers"]],
        data=body.encode("utf-8") if body is not None else None,
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    _LabClock.active = True
    try:
        app_iter, status, headers = run_wsgi_app(app, environ, buffered=True)
        try:
            data = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close:
                close()
    finally:
        _LabClock.active = False
    return {
        "status": int(status.split(None, 1)[0]),
        "headers": [[k, v] for k, v in headers.to_wsgi_list()],
        "body": data.decode("utf-8", "replace"),
        "goal": lab.goal,
    }


def _victim(req):
    module, lab, _ = _get(req)
    victim = getattr(module, "victim", None)
    if victim is None:
        raise LabInputError("this lab has no victim actions (got '%s')" % req["action"])
    return {"requests": victim(lab, req["action"], req.get("arg"))}


def _dispose(req):
    _instances.pop(req["id"], None)
    return {}


_OPS = {"create": _create, "request": _request, "victim": _victim, "dispose": _dispose}


def call(request_json):
    try:
        req = json.loads(request_json)
        op = _OPS.get(req.get("op"))
        if op is None:
            return json.dumps({"ok": False, "kind": "input", "error": "unknown lab operation %r" % req.get("op")})
        answer = op(req)
    except LabInputError as err:
        return json.dumps({"ok": False, "kind": "input", "error": str(err)})
    except KeyError as err:
        if req.get("op") in ("request", "victim") and req.get("id") not in _instances:
            return json.dumps({"ok": False, "kind": "unknown-instance", "error": "no lab instance %s in this Python" % err})
        return json.dumps({"ok": False, "kind": "app", "error": "%s: %s" % (type(err).__name__, err)})
    except Exception as err:  # the app module itself broke: the runtime answers 500 and says why
        return json.dumps({"ok": False, "kind": "app", "error": "%s: %s" % (type(err).__name__, err)})
    answer["ok"] = True
    return json.dumps(answer)


def text(body, status=200):
    """A text/plain response (the engine apps' ``text``)."""
    from flask import Response

    return Response(body if body.endswith("\n") else body + "\n", status, content_type="text/plain; charset=utf-8")


def redirect(location):
    """A 302 with a short text body (the engine apps' ``redirect``)."""
    response = text("Redirecting to %s" % location, 302)
    response.headers["Location"] = location
    return response


def form_value(request, name):
    """``name`` from an urlencoded body, else from the query string (the engine apps' ``formValue``)."""
    from urllib.parse import parse_qs

    body = request.get_data(as_text=True)
    values = parse_qs(body, keep_blank_values=True).get(name)
    if values:
        return values[0]
    return request.args.get(name)
