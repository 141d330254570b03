"""Shared fixtures. Tests that need PostgreSQL, Redis or Chromium skip with a printed reason on a
bare machine; with CI=true a skip fails the run, so CI can never pass by skipping."""

import os
import shutil

import pytest

# Playwright's sync API leaves an asyncio loop running; Django's database setup refuses to run
# in such a thread unless told that it is safe (it is: the browser and the ORM don't share it).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("KVSP_CHROMIUM", "/usr/bin/chromium")

pytest_plugins = ["tests.fixtures.accounts", "tests.fixtures.browser"]


def _postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# What a test may need by name, and the reason printed when this machine lacks it.
SERVICES = {
    "postgresql": (_postgresql, "needs PostgreSQL (set DATABASE_URL=postgres://...)"),
    "redis": (lambda: bool(os.environ.get("REDIS_URL")), "needs Redis (set REDIS_URL=redis://...)"),
    "chromium": (
        lambda: bool(shutil.which(CHROMIUM)),
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    ),
}


def require(condition: bool | str, reason: str = "") -> None:
    """Skip the calling test unless ``condition`` holds (in CI a skip counts as a failure).

    ``condition`` may name a service of SERVICES: ``require("postgresql")`` skips on SQLite, saying
    why (``reason``, when given, says more)."""
    if isinstance(condition, str):
        available, needs = SERVICES[condition]
        condition, reason = available(), f"{needs}: {reason}" if reason else needs
    if not condition:
        pytest.skip(reason)


def pytest_report_header(config):
    database = os.environ.get("DATABASE_URL", "embedded SQLite")
    redis = os.environ.get("REDIS_URL", "no Redis")
    chromium = CHROMIUM if shutil.which(CHROMIUM) else "no Chromium"
    return f"kvsp: database={database.split('@')[-1]} redis={redis} browser={chromium} ci={IN_CI}"


def _database_order(item) -> int:
    """pytest-django's order: database tests (rolled back), then transactional ones, then the rest."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_rest = validate_django_db(marker) if marker else (False, False)
    names = getattr(item, "fixturenames", ())
    if transaction or reset_sequences or "transactional_db" in names or "live_server" in names:
        return 1
    return 0 if marker or "db" in names else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """A transactional test empties the database when it ends, the reference data (councils,
    municipalities) included, so pytest-django runs the database tests first. pytest's own grouping
    by parametrized session fixtures (Playwright's ``[chromium]``) runs after it and moved database
    tests behind transactional ones: put that order back (a stable sort keeps the grouping)."""
    items.sort(key=_database_order)


# The fault suite's figures in CI's log (tests/faults/): a test that appends ``("fault figures",
# line)`` to its ``user_properties`` has the line listed at the end of the run, passed or failed.
# Here, not in tests/faults/conftest.py: under pytest-xdist only this conftest is loaded by the
# process that writes the summary, and a passing test's own output is not shown.
FAULT_FIGURES = "fault figures"


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "call") == "call"
        for name, value in getattr(report, "user_properties", [])
        if name == FAULT_FIGURES
    ]
    if lines:
        terminalreporter.section(FAULT_FIGURES)
        for line in lines:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; in CI every test must run.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (Albanian): a request in English activates English
    in the thread (LocaleMiddleware), and nothing would put it back for the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (rate limits, heartbeat)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data(transactional_db):
    """Counties, municipalities, units, councils and the problem categories, for tests whose
    database is flushed between tests (browser tests). The same loaders as the data migrations;
    they are idempotent.

    Not serialized_rollback: Playwright's event loop gives Django a fresh connection object in the
    test thread, which no longer carries the serialized copy of the database."""
    from importlib import import_module

    from django.apps import apps

    from councils import municipality_forms

    import_module("councils.migrations.0002_reference_data").load(apps, None)
    municipality_forms.load(apps.get_model("councils", "Municipality"))
    import_module("consultations.migrations.0006_problem_category").seed(apps, None)  # the taxonomy


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test go to its own temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def no_page_cache(settings):
    """Public pages rendered at every request: query counts measure a render, while the caches
    below the page (the compliance records) stay as warm as a visitor would find them."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PublicPageCacheMiddleware")]
