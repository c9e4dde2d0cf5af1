#!/usr/bin/env bash
# Makes sure the real peers the tests compare against are on this machine:
# Debian's Flask, Flask-Session and redis-py (run by /usr/bin/python3), redis-server, and Chromium.
# As root with apt-get it installs what is missing; otherwise it prints the exact command and fails.
set -euo pipefail

PKGS=(python3-flask python3-flask-session python3-redis python3-msgpack redis-server redis-tools chromium gunicorn fonts-noto-cjk)

missing=()
/usr/bin/python3 -c 'import flask, flask_session, redis, msgpack' >/dev/null 2>&1 || missing+=(python3-flask python3-flask-session python3-redis python3-msgpack)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v gunicorn >/dev/null 2>&1 || [ -x /usr/bin/gunicorn3 ] || missing+=(gunicorn)
# Chinese pages need a CJK font, or screenshots show empty boxes.
fc-list 2>/dev/null | grep -i 'Noto S[a-z]* CJK' >/dev/null || missing+=(fonts-noto-cjk)  # no -q: an early exit would SIGPIPE fc-list under pipefail

if [ ${#missing[@]} -eq 0 ]; then
  echo "peers: Debian Flask, Flask-Session, redis-server and Chromium are present"
  exit 0
fi

echo "peers: missing ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "peers: installing with apt-get (this takes a minute or two the first time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
  echo "peers: installed"
else
  echo "peers: run this once, then run the tests again:" >&2
  echo "  sudo apt-get install -y ${PKGS[*]}" >&2
  exit 1
fi
