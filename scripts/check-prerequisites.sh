#!/usr/bin/env bash
# Check the system packages `make demo` and `make test` need; name the command that installs any missing.
set -u
python=${1:-python3}
missing=()

if ! command -v "$python" >/dev/null 2>&1; then
  missing+=(python3)
elif ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python 3.11 or newer is needed; $python is $("$python" --version 2>&1)."
  echo "Install it (Debian 12 / Ubuntu 24.04: sudo apt-get install python3) or run: make demo PYTHON=python3.11"
  exit 1
elif ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then missing+=(libpango-1.0-0); fi
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so'; then missing+=(libpangoft2-1.0-0); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Missing system packages: ${missing[*]}"
  echo "Install them with:"
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 1
fi
