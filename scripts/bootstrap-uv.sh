#!/usr/bin/env bash
# Give the virtualenv uv at the version the Makefile names. Usage: bootstrap-uv.sh PYTHON VENV VERSION
# A new virtualenv is made by uv itself (`uv venv --seed`, a second instead of ensurepip's
# twenty), from a uv that pip puts in a throw-away folder; where pip cannot do that (e.g. a Debian
# Python without pip), by `python -m venv` and pip inside it, as before. Either way pip in it ends at
# pip>=PIP_FLOOR, not the system's old one.
set -euo pipefail
python=$1 venv=$2 version=$3
PIP_FLOOR=25.3
quiet_pip() { "$@" --quiet --disable-pip-version-check --root-user-action=ignore 2>&1 | { grep -v '^WARNING: Location' || true; }; }

if [ ! -x "$venv/bin/python" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if "$python" -m pip --version >/dev/null 2>&1 \
    && quiet_pip "$python" -m pip install --target "$tmp" "uv==$version" \
    && "$tmp/bin/uv" venv --quiet --seed --python "$python" "$venv" \
    && "$tmp/bin/uv" pip install --quiet --python "$venv/bin/python" "uv==$version"; then
    :
  else
    rm -rf "$venv"
    "$python" -m venv "$venv"
  fi
fi
if ! "$venv/bin/uv" --version 2>/dev/null | grep -qx "uv $version\( .*\)\?"; then
  quiet_pip "$venv/bin/python" -m pip install "uv==$version"
fi
# The pip the virtualenv starts with may be the system's old one (Debian's python3-venv); the
# dependency audit (pip-audit --strict over .venv) would report its advisories. uv.lock pins pip
# too (pip-audit needs it), but the virtualenv should not start below a fixed release.
"$venv/bin/uv" pip install --quiet --python "$venv/bin/python" "pip>=$PIP_FLOOR"
