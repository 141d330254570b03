# The two commands of the README. `make demo` tries the product; `make test` runs the suite.
# With DATABASE_URL / REDIS_URL set, both use PostgreSQL and Redis instead of the embedded defaults.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
# uv installs every package at the version uv.lock names (`make demo`, `make test`, .ci/run and the
# Dockerfile alike). After a change to pyproject.toml's dependencies: `.venv/bin/uv lock`, commit uv.lock.
# The Dockerfile's ARG UV_VERSION has the same default (tests/core/test_setup_files.py).
UV_VERSION := 0.13.10
STAMP := $(VENV)/.installed
# The demo's address (host:port); every absolute link (e-mails, permanent addresses, JSON, feeds,
# calendars) is built from it through KVSP_SITE_URL, unless KVSP_SITE_URL is set explicitly.
DEMO_ADDRESS ?= 127.0.0.1:8000
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test prerequisites install lock-check demo-address messages node-tools lint clean

prerequisites:
	@bash scripts/check-prerequisites.sh "$(PYTHON)"

$(UV): | prerequisites
	@echo "Preparing $(VENV) with uv $(UV_VERSION) ..."
	@bash scripts/bootstrap-uv.sh "$(PYTHON)" $(VENV) $(UV_VERSION)

# A uv.lock that no longer matches pyproject.toml stops everything, with the command that fixes it.
lock-check: $(UV)
	@bash scripts/check-lock.sh $(UV)

$(STAMP): pyproject.toml uv.lock | lock-check
	@echo "Installing Python packages from uv.lock into $(VENV) ..."
	@# --inexact keeps pip and uv themselves; the project runs from its folder, so it is not installed.
	@$(UV) sync --frozen --inexact --no-install-project --extra dev --quiet
	@touch $(STAMP)

install: lock-check $(STAMP)

# The compiled catalogues, remade when their .po file changes (GNU gettext's msgfmt, as Django's
# compilemessages runs it, without starting Django).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)

locale/%.mo: locale/%.po | prerequisites
	@echo "Compiling the translations ..."
	@msgfmt --check-format -o $@ $<

# Test-only tools (axe-core, the Nu HTML Checker). Without npm, the browser tests skip and say why.
node-tools:
	@if command -v npm >/dev/null 2>&1; then \
	  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  fi; \
	else echo "npm not found: the browser tests will be skipped (apt-get install npm)."; fi

demo-address:
	@bash scripts/check-address.sh "$(DEMO_ADDRESS)"

# One line per step; the demo's e-mails go to var/worker.log, the web server's log to var/web.log.
demo: export DEMO_ADDRESS := $(DEMO_ADDRESS)
demo: export KVSP_SITE_URL ?= http://$(DEMO_ADDRESS)
demo: demo-address install messages
	@mkdir -p var
	@echo "Migrating the database ..."
	@# Static files are collected meanwhile (they need no database).
	@$(PY) manage.py collectstatic --noinput -v0 >var/collectstatic.log 2>&1 & pid=$$!; \
	  $(PY) manage.py migrate --noinput -v0 || { kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; exit 1; }; \
	  wait $$pid || { echo "collectstatic failed:"; cat var/collectstatic.log; exit 1; }
	@echo "Loading the demo data ..."
	@# kombu warns that the embedded filesystem:// broker's URL names no host: true, and no news.
	@set -o pipefail; $(PY) manage.py load_demo -v0 2>&1 | { grep -v 'No hostname was supplied' || true; }
	@bash scripts/run-demo.sh

# The suite runs on one pytest-xdist worker per core (PYTEST_WORKERS=0: in this process, as before);
# PYTEST_ARGS are passed on (e.g. PYTEST_ARGS="tests/plans -x"). Tests of one xdist_group run on one
# worker; --no-loadscope-reorder keeps a group where pytest-django ordered it (after the database
# tests, with the transactional ones), instead of moving the largest group to the front.
PYTEST_WORKERS ?= auto
test: install messages node-tools
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/djlint templates --lint
	@$(VENV)/bin/lint-imports
	@$(VENV)/bin/mypy

clean:
	rm -rf var .pytest_cache .ruff_cache .grimp_cache .import_linter_cache .mypy_cache
