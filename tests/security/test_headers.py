"""Headers and cookies under the production settings (SECURITY.md row 14): HSTS, secure cookies, the
Content-Security-Policy, nosniff and Referrer-Policy on staff pages, file downloads and the API too
(tests/core/test_security_baseline.py covers the public pages), and `check --deploy` clean."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.authz.matrix import MATRIX
from tests.authz.matrix_lib import ADMIN, ANON, SECRETARY
from tests.security.pages import client_for, row_path

# The module shares the matrix's objects (ctx): it runs among the database tests, before
# the transactional ones flush the reference data.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SETTINGS = (
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
)


def _production_values() -> dict:
    saved = os.environ.get("DJANGO_SECRET_KEY")
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    # base reads the environment when it is imported: import a fresh copy of it, then put back
    # the one the test settings use.
    base = sys.modules.pop("kvsp.settings.base")
    sys.modules.pop("kvsp.settings.production", None)
    try:
        module = importlib.import_module("kvsp.settings.production")
        return {name: getattr(module, name) for name in PRODUCTION_SETTINGS if hasattr(module, name)}
    finally:
        sys.modules.pop("kvsp.settings.production", None)
        sys.modules["kvsp.settings.base"] = base
        if saved is None:
            os.environ.pop("DJANGO_SECRET_KEY")
        else:
            os.environ["DJANGO_SECRET_KEY"] = saved


PRODUCTION = _production_values()


@pytest.fixture
def production():
    with override_settings(**PRODUCTION):
        yield


def test_the_production_values_are_strict():
    assert PRODUCTION["DEBUG"] is False
    assert PRODUCTION["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert PRODUCTION["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert PRODUCTION["SECURE_SSL_REDIRECT"] is True
    assert PRODUCTION["SESSION_COOKIE_SECURE"] and PRODUCTION["CSRF_COOKIE_SECURE"]


# A public page, a staff page, a council file, a public file, the API and its schema.
PAGES = [
    ("portal:home", ANON),
    ("councils:council-detail", SECRETARY),
    ("meetings:archive", SECRETARY),
    ("meetings:document-download", SECRETARY),
    ("portal:document", ANON),
    ("portal:plan-year-csv", ANON),
    ("api:root", ANON),
    ("api:council-detail", ANON),
    ("api:schema", ANON),
    ("admin:index", ADMIN),
]


@pytest.mark.parametrize(("key", "principal"), PAGES, ids=[key for key, _p in PAGES])
def test_every_kind_of_response_carries_the_headers(key, principal, production, db, ctx):
    client = client_for(principal, Client())
    path = row_path(MATRIX[key], ctx)
    insecure = client.get(path)
    assert insecure.status_code == 301 and insecure["Location"] == f"https://testserver{path}"
    response = client.get(path, secure=True)
    assert response.status_code == 200, path
    hsts = dict(part.strip().partition("=")[::2] for part in response["Strict-Transport-Security"].split(";"))
    assert int(hsts["max-age"]) >= 365 * 24 * 60 * 60 and "includeSubDomains" in hsts
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_and_http_only(production, db, client):
    from tests.factories import UserFactory

    person = UserFactory(password="correct-horse-battery-9")
    login = client.get("/accounts/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    signed_in = client.post(
        "/accounts/login/", {"username": person.email, "password": "correct-horse-battery-9"}, secure=True
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    language = client.get("/accounts/language/en/?next=/", secure=True).cookies[settings.LANGUAGE_COOKIE_NAME]
    assert language["secure"]


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    # As in .ci/run deploy_checks: the test run's own switches stay out of it.
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CI")},
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
