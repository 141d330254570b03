#!/usr/bin/env bash
# Check that uv.lock matches pyproject.toml (without the network: the lock alone answers), so that
# `make demo`, `make test`, .ci/run and the Dockerfile install the same versions. Usage: check-lock.sh [uv]
set -u
cd "$(dirname "$0")/.."
uv=${1:-.venv/bin/uv}
if [ ! -f uv.lock ]; then
  echo "uv.lock is missing: run '$uv lock' and commit uv.lock." >&2
  exit 1
fi
if ! out=$("$uv" lock --check --offline --quiet 2>&1); then
  # Offline, uv explains a stale lock as a package missing from its cache: our own line comes first.
  echo "uv.lock is out of date with pyproject.toml (its dependencies changed since the lock was made)." >&2
  echo "Run '$uv lock' to update it, then commit uv.lock." >&2
  echo "details:" >&2
  echo "$out" | grep -v '^hint:' | sed 's/^/  /' >&2
  exit 1
fi
