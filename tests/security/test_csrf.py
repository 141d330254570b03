"""CSRF and methods (SECURITY.md row 7, ASVS 3.5.3): every POST without a token is refused with 403,
and no GET changes anything.

The addresses come from the authorization matrix (tests/authz/matrix.py MATRIX): each row
whose POST some principal may make (200 or a redirect after success, as the matrix says by hand)
is posted to as that principal, with the data the matrix would send, by a client that enforces
CSRF checks. The matrix posts the same without the check and is answered as written there, so
the 403 here is the token's.
"""

import pytest
from django.db import connection
from django.test import Client

from tests.authz.matrix import MATRIX
from tests.authz.matrix_ctx import send
from tests.authz.matrix_lib import (
    ADMIN,
    ANON,
    CHAIR,
    COUNCIL_PRINCIPALS,
    OBSERVER,
    PRINCIPALS,
    SECRETARY,
    SKN_MUNICIPALITY,
    USER,
)
from tests.security.pages import client_for, row_path

# The module shares the matrix's objects (ctx): it runs among the database tests, before
# the transactional ones flush the reference data.
pytestmark = pytest.mark.django_db

SUCCESS = (200, 201, 204, 302)
# Who tries each POST: the first of these whom the matrix lets make it.
PREFERENCE = (ADMIN, SECRETARY, CHAIR, SKN_MUNICIPALITY, *COUNCIL_PRINCIPALS, OBSERVER, USER)


def _poster(key, row) -> str | None:
    for principal in PREFERENCE:
        if row.post[principal] in SUCCESS:
            return principal
    # Public forms (the concern form, login, password reset) are posted to anonymously.
    if row.post[ANON] == 200 or (key.startswith("accounts:") and row.post[ANON] in SUCCESS):
        return ANON
    return None


# POSTs taken without a CSRF token on purpose, with the reason.
WITHOUT_TOKEN = {
    # RFC 8058: a mail program's one-click unsubscribe POSTs without a token; the address's own
    # secret token is the protection, and the POST only deletes that subscription.
    "portal:unsubscribe": "one-click unsubscribe (RFC 8058)",
    "portal:unsubscribe [unknown token]": "one-click unsubscribe (RFC 8058)",
}

POSTS = sorted(
    (key, _poster(key, row)) for key, row in MATRIX.items() if _poster(key, row) and key not in WITHOUT_TOKEN
)


def test_the_sweep_covers_the_forms_of_every_area():
    keys = {key for key, _principal in POSTS}
    areas = {key.split(":")[0] for key in keys}
    assert {"accounts", "admin", "councils", "meetings", "consultations", "plans", "monitoring"} <= areas
    assert "portal:concern-create" in keys
    assert len(keys) > 50
    assert set(PRINCIPALS) >= {principal for _key, principal in POSTS}


@pytest.mark.parametrize(("key", "principal"), POSTS, ids=[f"{k}|{p}" for k, p in POSTS])
def test_a_post_without_the_token_is_refused(key, principal, db, ctx):
    row = MATRIX[key]
    client = client_for(principal, Client(enforce_csrf_checks=True))
    response = send(client, "POST", row_path(row, ctx), row, ctx["own"])
    assert response.status_code == 403, f"POST {key} as {principal} without a CSRF token"


def test_a_post_with_the_token_goes_through(db, ctx, client):
    """The control: the same client with the token is not refused (the login form)."""
    checked = Client(enforce_csrf_checks=True)
    checked.get("/accounts/login/")
    token = checked.cookies["csrftoken"].value
    response = checked.post(
        "/accounts/login/", {"username": "x@example.al", "password": "x"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200  # the form's error, not a 403


# --- GET changes nothing ------------------------------------------------------------------------

# Written on a GET by design: the session (the idle timeout's last-seen time), and the PDF of an
# approved version, which the worker makes at approval; a request that comes first makes and keeps
# it through the same task function (kvsp/portal/plan_views.py _pdf): derived output, not state.
CHANGES_ON_GET = {"django_session", "plans_planfile", "plans_historicalplanfile"}


def _snapshot() -> dict[str, str]:
    """Every table's row count and, on PostgreSQL, a digest of its rows (so an UPDATE shows)."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - CHANGES_ON_GET):
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                digest = "md5(string_agg(t::text, '|' ORDER BY t::text))"
                cursor.execute(f"SELECT count(*), {digest} FROM {quoted} t")  # noqa: S608
            else:
                cursor.execute(f"SELECT count(*), '' FROM {quoted}")  # noqa: S608
            count, digest = cursor.fetchone()
            state[table] = f"{count} {digest}"
    return state


@pytest.mark.parametrize("principal", [ADMIN, SECRETARY, ANON])
def test_no_get_changes_anything(principal, db, ctx):
    """Every GET row of the matrix, whatever its answer to this principal (the whole matrix: about
    250 addresses per principal); a change is then traced to its address."""
    client = client_for(principal, Client(raise_request_exception=False))
    client.get("/")  # the session's first write
    paths = [(key, row_path(row, ctx)) for key, row in sorted(MATRIX.items())]
    before = _snapshot()
    for _key, path in paths:
        client.get(path)
    after = _snapshot()
    if after != before:
        culprits = []
        for key, path in paths:
            state = _snapshot()
            client.get(path)
            if _snapshot() != state:
                culprits.append(key)
        changed = sorted(table for table in after if after[table] != before.get(table))
        pytest.fail(f"a GET changed {changed}: {culprits}")
