"""Serves a WSGI app on loopback for a test runner: the shared `main` of flask_app.py and flask_session_app.py.

Import it from a script in this folder (a script run as `/usr/bin/python3 tests/peers/x.py` has the folder on
sys.path already).
"""

import logging
import os
import sys
import threading

from werkzeug.serving import make_server


def _exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


def serve(app):
    """Serves `app` with Werkzeug's threaded server on 127.0.0.1:$PORT (default 0, any free port), prints one line
    `PORT <n>` once it listens, and exits as soon as stdin closes, so a runner that dies cannot leave it behind."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", int(os.environ.get("PORT", "0")), app, threaded=True)
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()
