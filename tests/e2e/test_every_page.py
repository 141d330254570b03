"""Every page of the product, public and staff, in Albanian and in English: axe-core (no serious or
critical violation, colour contrast included), the Nu HTML Checker (no error) and the console (no
Content-Security-Policy violation).

The pages are derived from the authorization matrix (tests/authz/matrix.py): every row whose
GET answers 200 to some principal is visited as the first principal of PREFERENCE that gets 200,
on the matrix's own objects (tests/authz/matrix_ctx.py's ``build_ctx``). An answer that is not
HTML (a PDF, CSV, JSON, ICS or DOCX file) is not a page and is left out; anything else not visited
must be in EXCLUDE with its reason. So a new GET URL answering HTML is covered as soon as its
matrix row is written.

For speed, the browser gets each principal's session cookie (force_login passes the second factor,
tests/fixtures/accounts.py), axe runs in the browser page by page, and every page's source is
validated in ONE run of the Nu HTML Checker."""

import json
import os
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.authz.matrix import MATRIX
from tests.authz.matrix_ctx import build_ctx, login_as
from tests.authz.matrix_lib import (
    ADMIN,
    ANON,
    CHAIR,
    GUEST,
    MEMBER,
    OBSERVER,
    SECRETARY,
    SKN_MUNICIPALITY,
    USER,
)
from tests.fixtures.browser import VNU_JAR, Auditor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("sq", "en")
# Whom a page is seen as: the public first, then the council's officers, the platform admin last.
PREFERENCE = (ANON, SECRETARY, CHAIR, SKN_MUNICIPALITY, MEMBER, GUEST, USER, OBSERVER, ADMIN)
HTML = "text/html"

# Matrix rows answering 200 that are not visited, with the reason.
EXCLUDE: dict[str, str] = {
    "healthz": "a plain-text health probe for the load balancer, not a page",
}


def _is_admin(key: str) -> bool:
    return key.startswith(("admin:", "route:admin"))


def _targets(group: str) -> list[tuple[str, str, object]]:
    """(matrix key, principal, row) for each row of the group whose GET answers 200 to someone."""
    targets = []
    for key, row in sorted(MATRIX.items()):
        if key in EXCLUDE or _is_admin(key) != (group == "admin"):
            continue
        principal = next((p for p in PREFERENCE if row.get.get(p) == 200), None)
        if principal is not None:
            targets.append((key, principal, row))
    return targets


def test_exclusions_are_matrix_rows_answering_200():
    stale = [key for key in EXCLUDE if key not in MATRIX or 200 not in MATRIX[key].get.values()]
    assert not stale, f"EXCLUDE names rows that no longer exist or answer 200 to nobody: {stale}"


def _vnu_errors(files: dict) -> dict[str, list[str]]:
    """One run of the Nu HTML Checker over every file: {file path: [error, ...]}."""
    completed = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    messages = json.loads(completed.stderr or completed.stdout or '{"messages": []}')["messages"]
    errors = defaultdict(list)
    for m in messages:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            name = m.get("url", "").removeprefix("file:")
            errors[name].append(
                f"line {m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()}]"
            )
    return errors


# The product's pages, and the platform admin's (Django's contrib.admin with django-celery-beat,
# django-simple-history and django-axes), whose markup passes through the project's overrides:
# templates/admin/, templates/django/forms/, templates/simple_history/, static/admin/css/forms.css,
# static/js/admin.js, kvsp/core/admin_widgets.py and kvsp/core/forms.py's FormRenderer.
# One test per group and language, so that xdist's workers share the audit.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("group", ["product", "admin"])
def test_every_page_is_accessible_and_valid(
    group, language, live_server, browser, axe_source, reference_data, tmp_path
):
    ctx = build_ctx()
    targets = _targets(group)
    by_principal = defaultdict(list)
    for key, principal, row in targets:
        path = row.path(ctx) if callable(row.path) else row.path
        by_principal[principal].append((key, path))

    auditor = Auditor(axe_source, checker_url="")
    problems: list[str] = []
    files: dict = {}
    visited: list[tuple[str, str]] = []
    not_html: list[str] = []
    failed: set[str] = set()
    for principal, pages in by_principal.items():
        client = login_as(principal, Client())
        context = browser.new_context(locale="sq-AL", viewport={"width": 1280, "height": 900})
        session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if session is not None:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
            )
        page = context.new_page()
        csp: list[str] = []
        page.on(
            "console",
            lambda msg, csp=csp: csp.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        for key, path in pages:
            url = live_server.url + path
            response = context.request.get(url, max_redirects=0)
            if response.status != 200:
                problems.append(f"{key} ({path}) as {principal}: {response.status}, the matrix says 200")
                failed.add(key)
                continue
            if not response.headers.get("content-type", "").startswith(HTML):
                not_html.append(key)
                continue
            source = response.text()
            name = tmp_path / f"{len(files):03d}-{language}.html"
            name.write_text(source, encoding="utf-8")
            files[name] = f"{key} ({path}) as {principal} in {language}"
            csp.clear()
            page.goto(url)
            page.wait_for_load_state("load")
            lang = page.evaluate("document.documentElement.lang")
            if lang != language:
                problems.append(f"{files[name]}: <html lang={lang!r}>")
            for violation in auditor.serious_violations(page):
                problems.append(f"{files[name]}: axe {json.dumps(violation, ensure_ascii=False)}")
            if csp:
                problems.append(f"{files[name]}: CSP {csp}")
            visited.append((key, language))
        context.close()

    for name, errors in _vnu_errors(files).items():
        label = next((v for k, v in files.items() if str(k) == name), name)
        problems.extend(f"{label}: HTML {error}" for error in errors)

    pages_visited = {key for key, _ in visited}
    print(f"\n{group} in {language}: {len(pages_visited)} pages audited")
    print(f"not HTML, not audited: {sorted(set(not_html))}")
    # The registry guard: every row answering 200 was visited, is a file, or is excluded.
    unaccounted = {key for key, _, _ in targets} - pages_visited - set(not_html)
    assert not unaccounted - failed, f"not audited: {sorted(unaccounted - failed)}"
    if os.environ.get("KVSP_PAGES_REPORT"):
        Path(os.environ["KVSP_PAGES_REPORT"] + f"{group}-{language}").write_text(
            "\n".join(problems), encoding="utf-8"
        )
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_audit_checks_colour_contrast(page, axe_source):
    """axe's colour-contrast rule (serious) is on in the audit: light grey on white is caught."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">Faint text</p></main></body></html>'
    )
    ids = {v["id"] for v in Auditor(axe_source, checker_url="").serious_violations(page)}
    assert "color-contrast" in ids
