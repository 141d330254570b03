"""Baselines from the first commit: CSP without inline script, headers, CSRF, error pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db
PAGES = ["/", "/accounts/login/", "/accounts/password/reset/", "/healthz/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_or_style():
    """All JavaScript and CSS live in static files, so the CSP never needs 'unsafe-inline'."""
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if "notify" in template.parts:  # e-mails are not served under our CSP
            continue
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            if pattern.search(text):
                offenders.append(f"{template.name}: {pattern.pattern}")
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_public_pages_carry_no_per_request_token_for_anonymous_visitors(client, path):
    """Public pages are the same for every anonymous visitor, so they can be cached."""
    first = client.get(path).content
    second = Client().get(path).content
    if path == "/":
        assert b"csrfmiddlewaretoken" not in first
        assert first == second


def test_post_without_csrf_token_is_refused(user):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": user.email, "password": "x"})
    assert response.status_code == 403
    assert "Formulari ka skaduar" in response.content.decode()


def test_session_and_csrf_cookies_are_http_only_and_lax():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_error_pages_are_albanian(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Faqja nuk u gjet" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Diçka shkoi keq" in html


def test_production_settings_refuse_a_missing_secret_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DJANGO_SECRET_KEY", "")
    sys.modules.pop("kvsp.settings.production", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("kvsp.settings.production")
    sys.modules.pop("kvsp.settings.production", None)
