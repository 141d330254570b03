"""The authorization matrix: every URL pattern x every principal x GET and POST, in the
principal's own council and in another one.

Expected answers are written by hand, per URL, in tests/authz/matrix.py (and rows_*.py), from what
each principal should be allowed to do (DESIGN.md "Roles" and "Visibility"); they are never
computed from the rules or recorded from the code's replies. A URL pattern missing there fails the
suite, so every new page adds its row. The objects they point at are built in matrix_ctx.py.

Council principals hold their role in Elbasan ("own"). A council URL is also tried on Belsh
("other") with objects that exist there, and the test checks that Belsh's own secretary reaches
that same address, so a 404 proves isolation, not absence.

POSTs are sent without a CSRF token check (the test client's default) because this matrix is about
authorization; CSRF is tested on its own in tests/core/test_security_baseline.py. A POST carries no
data unless its row gives some (Row.data), so that success, not a form error, is what is answered.
A pattern may have further rows, "name [case]", trying it on other objects or in other states.
"""

# ruff: noqa: F811 (the fixtures of matrix_ctx.py, imported by name)

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz.matrix import MATRIX
from tests.authz.matrix_ctx import _media_in_tmp, ctx, login_as, matrix_media, send  # noqa: F401 (fixtures)
from tests.authz.matrix_lib import (
    ADMIN,
    CHAIR,
    COUNCIL_PRINCIPALS,
    PRINCIPALS,
    SECRETARY,
    USER,
    elsewhere,
    pattern_of,
)


def _pattern_keys(patterns=None, prefix="", namespace=None):
    """Every URL pattern of the project: 'ns:name', or 'route:<full route>' when it has no name."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if namespace and pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}"
            yield from _pattern_keys(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield f"route:{prefix}{pattern.pattern}"


def test_every_url_pattern_is_in_the_matrix():
    keys = set(_pattern_keys())
    missing = sorted(keys - {pattern_of(key) for key in MATRIX})
    assert not missing, f"add these URL patterns to the authorization matrix: {missing}"


def test_the_matrix_has_no_stale_rows():
    # A row "name [case]" tries the pattern "name" once more, on another object or state.
    assert sorted(key for key in MATRIX if pattern_of(key) not in set(_pattern_keys())) == []


# The admin's pages (Django's, celery-beat's, simple-history's, django-otp's) belong to no council:
# there a council role answers as a plain signed-in user does (by()), so two council principals,
# the secretary and the chair, stand for the seven; any council principal whose expected answer
# differs from the plain user's is still tried.
COUNCIL_STAND_INS = (SECRETARY, CHAIR)


def _principals(key: str) -> tuple[str, ...]:
    """Who a row is tried as: everyone, except on the admin's pages (COUNCIL_STAND_INS)."""
    if not key.startswith(("admin:", "route:admin")):
        return PRINCIPALS
    row = MATRIX[key]
    return tuple(
        principal
        for principal in PRINCIPALS
        if principal not in COUNCIL_PRINCIPALS
        or principal in COUNCIL_STAND_INS
        or row.get[principal] != row.get[USER]
        or row.post[principal] != row.post[USER]
    )


CASES = [
    pytest.param(key, principal, method, where, id=f"{key}|{principal}|{method}|{where}")
    for key in sorted(MATRIX)
    for principal in _principals(key)
    for method in ("GET", "POST")
    for where in (("own", "other") if MATRIX[key].other_path else ("own",))
]


@pytest.mark.parametrize(("key", "principal", "method", "where"), CASES)
def test_matrix(key, principal, method, where, db, client, ctx):
    row = MATRIX[key]
    expected = row.get if method == "GET" else row.post
    if where == "other":
        path = row.other_path(ctx)
        expected = elsewhere(expected)
    else:
        path = row.path(ctx) if callable(row.path) else row.path
    response = send(login_as(principal, client), method, path, row, ctx[where])
    assert response.status_code == expected[principal], f"{method} {path} as {principal}"
    if key == "admin:login" and expected[principal] == 302 and principal != ADMIN:
        # The admin's login hands over to the site's login, which asks for the second factor.
        assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
    elif expected[principal] == 302 and principal != ADMIN and key.startswith(("admin:", "route:admin")):
        # Refused admin pages send the visitor to the admin login, never into the admin.
        assert response["Location"].startswith("/admin/"), response["Location"]
        if key != "admin:logout":
            assert response["Location"].startswith("/admin/login/")
    if where == "other" and expected[principal] == 404:
        # The refused address exists: the other council's own secretary reaches it.
        client.logout()
        client.force_login(ctx["other_secretary"])
        reached = send(client, method, path, row, ctx[where])
        assert reached.status_code == (row.get if method == "GET" else row.post)[SECRETARY]
