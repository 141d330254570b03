#!/usr/bin/env bash
# Give the virtualenv uv at the version the Makefile names. Usage: bootstrap-uv.sh PYTHON VENV VERSION
# A new virtualenv is made by uv itself (`uv venv --seed`, a second instead of ensurepip's
# twenty), from a uv that pip puts in a throw-away folder; where pip cannot do that (e.g. a Debian
# Python without pip), by `python -m venv` and pip inside it, as before.
set -euo pipefail
python=$1 venv=$2 version=$3
quiet_pip() { "$@" --quiet --disable-pip-version-check --root-user-action=ignore 2>&1 | { grep -v '^WARNING: Location' || true; }; }

if [ ! -x "$venv/bin/python" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if "$python" -m pip --version >/dev/null 2>&1 \
    && quiet_pip "$python" -m pip install --target "$tmp" "uv==$version" \
    && "$tmp/bin/uv" venv --quiet --seed --python "$python" "$venv" \
    && "$tmp/bin/uv" pip install --quiet --python "$venv/bin/python" "uv==$version"; then
    exit 0
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
quiet_pip "$venv/bin/python" -m pip install "uv==$version"
