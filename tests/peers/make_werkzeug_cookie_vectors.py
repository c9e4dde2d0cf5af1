"""Writes tests/vectors/werkzeug_cookies.json: werkzeug_cookies.py's fixed table, answered by both judges.

    /usr/bin/python3 tests/peers/make_werkzeug_cookie_vectors.py

Debian 12's Werkzeug 2.2.2 answers through this interpreter; Debian 13's Werkzeug 3.1.3 through
`chroot ROOT /usr/bin/python3`, where ROOT is $FLASK_SESSION_LAB_TRIXIE or /var/cache/flask-session-lab/trixie
(scripts/peers.sh builds it; chroot needs root). The script is copied into the root at the same absolute path
first, as tests/support/judges.ts does. The output is deterministic; tests/conformance/werkzeug_cookies_live.test.ts
checks that the file is what both judges answer now.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "werkzeug_cookies.py")
OUT = os.path.join(HERE, "..", "vectors", "werkzeug_cookies.json")
ROOT = os.environ.get("FLASK_SESSION_LAB_TRIXIE") or "/var/cache/flask-session-lab/trixie"
CHROOT = "/usr/sbin/chroot" if os.path.exists("/usr/sbin/chroot") else "chroot"
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "PYTHONHASHSEED": "0",
       "PYTHONDONTWRITEBYTECODE": "1"}


def run(argv):
    return json.loads(subprocess.run(argv, check=True, capture_output=True, env=ENV).stdout)


def main():
    if not os.path.exists(os.path.join(ROOT, "usr/bin/python3")):
        sys.exit(f"no Debian 13 root at {ROOT}: run 'bash scripts/peers.sh' as root")
    target = ROOT + SCRIPT
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(SCRIPT, target)
    old = run(["/usr/bin/python3", SCRIPT, "--table"])
    new = run([CHROOT, ROOT, "/usr/bin/python3", SCRIPT, "--table"])
    if old["request"] != new["request"]:
        sys.exit("the two judges were given different tables")
    request = old.pop("request")
    new.pop("request")
    out = {"generator": "tests/peers/make_werkzeug_cookie_vectors.py", "request": request, "flask-2.2": old, "flask-3.1": new}
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(json.dumps(out, ensure_ascii=True, sort_keys=True, indent=1) + "\n")
    print(f"wrote {os.path.relpath(OUT)}: {len(request['parse'])} headers, {len(request['dump'])} Set-Cookie cases, two judges")


if __name__ == "__main__":
    main()
