# The two commands of the README. `make demo` tries the product; `make test` runs the suite.
# With DATABASE_URL / REDIS_URL set, both use PostgreSQL and Redis instead of the embedded defaults.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test prerequisites install messages node-tools lint clean

prerequisites:
	@bash scripts/check-prerequisites.sh "$(PYTHON)"

$(STAMP): pyproject.toml | prerequisites
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) ..."
	@set -o pipefail; $(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 \
	  | { grep -v '^WARNING: Location' || true; }
	@# The project is an application, not a package: install its dependencies straight from pyproject.toml.
	@$(PY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	  print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > $(VENV)/requirements.txt
	@set -o pipefail; $(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt 2>&1 \
	  | { grep -v '^WARNING: Location' || true; }
	@touch $(STAMP)

install: $(STAMP)

messages: install
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Test-only tools (axe-core, the Nu HTML Checker). Without npm, the browser tests skip and say why.
node-tools:
	@if command -v npm >/dev/null 2>&1; then \
	  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  fi; \
	else echo "npm not found: the browser tests will be skipped (apt-get install npm)."; fi

demo: messages
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py load_demo
	@$(PY) manage.py collectstatic --noinput -v0
	@bash scripts/run-demo.sh

# The suite runs on one pytest-xdist worker per core (PYTEST_WORKERS=0: in this process, as before);
# PYTEST_ARGS are passed on (e.g. PYTEST_ARGS="tests/plans -x"). Tests of one xdist_group run on one
# worker; --no-loadscope-reorder keeps a group where pytest-django ordered it (after the database
# tests, with the transactional ones), instead of moving the largest group to the front.
PYTEST_WORKERS ?= auto
test: messages node-tools
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/djlint templates --lint
	@$(VENV)/bin/lint-imports
	@$(VENV)/bin/mypy

clean:
	rm -rf var .pytest_cache .ruff_cache .grimp_cache .import_linter_cache .mypy_cache
