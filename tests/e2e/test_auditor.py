"""The audit helpers really fail on bad pages (a checker that cannot fail proves nothing)."""

import pytest

from tests.fixtures.browser import validate_html

pytestmark = pytest.mark.browser


def test_html_checker_reports_errors_and_accepts_valid_html(html_checker):
    valid = '<!DOCTYPE html><html lang="sq"><head><title>t</title></head><body><p>Mirë</p></body></html>'
    assert validate_html(html_checker, valid) == []
    invalid = valid.replace("<p>Mirë</p>", "<p><div>nested</div></p><span id=a></span><b id=a></b>")
    assert validate_html(html_checker, invalid) != []


def test_axe_reports_a_serious_violation(page, audit):
    page.set_content(
        '<html lang="sq"><head><title>t</title></head><body>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></body></html>'
    )
    ids = {v["id"] for v in audit.serious_violations(page)}
    assert {"image-alt", "label"} <= ids
