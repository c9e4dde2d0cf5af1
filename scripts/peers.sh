#!/usr/bin/env bash
# Makes sure the real peers the tests compare against are on this machine:
# - the old judge: Debian 12's Flask 2.2.2, Flask-Session 0.3.2 and redis-py, run by /usr/bin/python3;
# - the modern judge: Debian 13's Flask 3.1.1, Flask-Session 0.8.0 and msgspec in a root built with
#   debootstrap (see build_trixie below), run with `chroot ROOT /usr/bin/python3`;
# - redis-server and Chromium.
# As root with apt-get it installs what is missing; otherwise it prints the exact command and fails.
set -euo pipefail

# Where the Debian 13 root lives: outside the clone, so later runs on this machine reuse it.
# tests/support/judges.ts reads the same variable.
TRIXIE_ROOT="${FLASK_SESSION_LAB_TRIXIE:-/var/cache/flask-session-lab/trixie}"
TRIXIE_PKGS=python3-flask,python3-flask-session,python3-msgspec,python3-msgpack,python3-redis,python3-cachelib,python3-flask-sqlalchemy
TRIXIE_CHECK='import flask, flask_session, msgspec, msgpack, redis, cachelib, flask_sqlalchemy'

trixie_ok() {
  [ -x "$TRIXIE_ROOT/usr/bin/python3" ] && chroot "$TRIXIE_ROOT" /usr/bin/python3 -c "$TRIXIE_CHECK" >/dev/null 2>&1
}

# The Debian archive this machine's apt already uses (its first non-security source), so the root comes
# from the same place as every other package here. Nothing about it is written into the repository.
apt_mirror() {
  local uris
  uris="$(
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; break } }'
  )"
  local u
  for u in $uris; do
    case "$u" in *-security*) continue ;; esac
    echo "$u"
    return 0
  done
}

build_trixie() {
  command -v debootstrap >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  local mirror
  mirror="$(apt_mirror)"
  if [ -z "$mirror" ]; then
    echo "peers: cannot find a Debian mirror in /etc/apt/sources.list{,.d}; set FLASK_SESSION_LAB_TRIXIE to a ready root" >&2
    return 1
  fi
  local tmp="$TRIXIE_ROOT.building.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$TRIXIE_ROOT")"
  echo "peers: building the Debian 13 (trixie) root for the modern judge in $TRIXIE_ROOT (a few minutes the first time)"
  if ! debootstrap --variant=minbase --include="$TRIXIE_PKGS" trixie "$tmp" "$mirror" >"$tmp.log" 2>&1; then
    tail -n 20 "$tmp.log" >&2
    echo "peers: debootstrap failed; its log is $tmp.log" >&2
    return 1
  fi
  rm -rf "$TRIXIE_ROOT" "$tmp.log"
  mv "$tmp" "$TRIXIE_ROOT"
  chroot "$TRIXIE_ROOT" /usr/bin/python3 -c 'import importlib.metadata as m; print("peers: modern judge ready: Flask", m.version("flask"), "/ Werkzeug", m.version("werkzeug"), "/ itsdangerous", m.version("itsdangerous"), "/ Flask-Session", m.version("flask-session"), "/ msgspec", m.version("msgspec"))'
}

PKGS=(python3-flask python3-flask-session python3-redis python3-msgpack redis-server redis-tools chromium gunicorn fonts-noto-cjk)

missing=()
/usr/bin/python3 -c 'import flask, flask_session, redis, msgpack' >/dev/null 2>&1 || missing+=(python3-flask python3-flask-session python3-redis python3-msgpack)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v gunicorn >/dev/null 2>&1 || [ -x /usr/bin/gunicorn3 ] || missing+=(gunicorn)
# Chinese pages need a CJK font, or screenshots show empty boxes.
fc-list 2>/dev/null | grep -i 'Noto S[a-z]* CJK' >/dev/null || missing+=(fonts-noto-cjk)  # no -q: an early exit would SIGPIPE fc-list under pipefail

trixie_missing=0
trixie_ok || trixie_missing=1

# The exercises' Flask archive (Debian 13's pure-Python Flask and friends for Pyodide), made with apt-get into
# node_modules/.cache/flask-session-lab/runtime/ (scripts/flask-archive.mjs; a second run reuses it). It needs only
# Node and apt, not npm install, so it runs here, before the early exits below.
# A failure here fails the script at its end, after the other peers had their chance to be installed.
archive_ok=1
node scripts/flask-archive.mjs --quiet || archive_ok=0
trap 'if [ $archive_ok -eq 0 ]; then echo "peers: the Flask archive for the exercises could not be made (see above)" >&2; exit 1; fi' EXIT

if [ ${#missing[@]} -eq 0 ] && [ $trixie_missing -eq 0 ]; then
  echo "peers: both judges (Debian 12's Flask 2.2 and Debian 13's Flask 3.1), redis-server and Chromium are present"
  exit 0
fi

if [ ${#missing[@]} -eq 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    build_trixie
    exit $?
  fi
  echo "peers: the modern judge (a Debian 13 root at $TRIXIE_ROOT) is missing; run this script as root to build it" >&2
  exit 1
fi

echo "peers: missing ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "peers: installing with apt-get (this takes a minute or two the first time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
  echo "peers: installed"
  if [ $trixie_missing -eq 1 ]; then build_trixie; fi
else
  echo "peers: run this once, then run the tests again:" >&2
  echo "  sudo apt-get install -y ${PKGS[*]}" >&2
  exit 1
fi
