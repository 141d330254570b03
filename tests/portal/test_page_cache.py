"""The public pages' response cache for visitors without a session (kvsp/portal/page_cache.py,
kvsp/core/public_cache.py)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from councils.meetings import services as meeting_services
from councils.models import Role
from kvsp.core import public_cache
from kvsp.portal import page_cache
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def elbasan(db):
    return council("elbasan")


def _get(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    return response, len(captured)


def _meeting(elbasan, title):
    return meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() + timedelta(days=5),
        place="Salla e Këshillit",
        title=title,
    )


def test_a_second_visitor_is_answered_from_the_cache_without_a_query(elbasan):
    first, cold = _get(Client(), "/elbasan/")
    second, warm = _get(Client(), "/elbasan/")
    assert first.status_code == second.status_code == 200
    assert cold > 0 and warm == 0
    assert second.content == first.content
    # the headers the inner middleware set travel with the cached copy
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Content-Type"):
        assert second[header] == first[header], header
    assert not second.cookies


def test_a_change_shows_at_the_next_request(elbasan):
    _get(Client(), "/elbasan/")
    _meeting(elbasan, "Mbledhja e jashtëzakonshme për sigurinë në shkolla")
    response, queries = _get(Client(), "/elbasan/")
    assert queries > 0
    assert "Mbledhja e jashtëzakonshme për sigurinë në shkolla" in response.content.decode()


def test_the_generation_moves_at_the_change_and_again_at_the_commit(
    elbasan, django_capture_on_commit_callbacks
):
    before = public_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        _meeting(elbasan, "Mbledhja e dytë")
        during = public_cache.generation()
        assert during > before  # at once: a reader in the same transaction
    assert public_cache.generation() > during  # after the commit: everyone else


def test_each_language_and_accept_header_has_its_own_copy(elbasan):
    sq = Client().get("/elbasan/", HTTP_ACCEPT_LANGUAGE="sq")
    en = Client().get("/elbasan/", HTTP_ACCEPT_LANGUAGE="en")
    assert sq["Content-Language"] == "sq" and en["Content-Language"] == "en"
    assert sq.content != en.content
    assert Client().get("/elbasan/", HTTP_ACCEPT_LANGUAGE="en").content == en.content
    json = Client().get("/api/v1/councils/elbasan/")
    assert json.status_code == 200
    # DRF refuses a client that accepts only HTML: a cached JSON copy must not answer it
    assert Client().get("/api/v1/councils/elbasan/", HTTP_ACCEPT="text/html").status_code == 406


def test_someone_signed_in_always_gets_their_own_page(elbasan):
    Client().get("/elbasan/")  # the anonymous copy is in the cache
    secretary = UserFactory()
    give_role(elbasan, Role.SECRETARY, user=secretary)
    client = Client()
    client.force_login(secretary)
    response, queries = _get(client, "/elbasan/")
    assert queries > 0
    assert 'action="/accounts/logout/"' in response.content.decode()


def test_only_known_query_parameters_are_cached(elbasan):
    Client().get("/elbasan/?utm_source=facebook")
    _response, queries = _get(Client(), "/elbasan/?utm_source=facebook")
    assert queries > 0, "an unknown parameter goes to the view every time"
    Client().get("/elbasan/consultations/?page=1")
    _response, queries = _get(Client(), "/elbasan/consultations/?page=1")
    assert queries == 0


def test_pages_not_listed_are_never_cached(elbasan):
    Client().get("/elbasan/concerns/")
    _response, queries = _get(Client(), "/elbasan/concerns/")
    assert "portal:concern-lookup" not in page_cache.CACHED
    assert queries > 0


def test_a_page_that_sets_a_cookie_is_not_shared(elbasan):
    """The concern form hands out a CSRF token: each visitor must get their own."""
    with mock.patch.object(page_cache, "CACHED", page_cache.CACHED | {"portal:concern-create"}):
        first = Client().get("/elbasan/concerns/new/")
        second = Client().get("/elbasan/concerns/new/")
    assert first.status_code == second.status_code == 200
    assert first.cookies and second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_an_error_is_not_cached(elbasan):
    assert Client().get("/api/v1/councils/nowhere/").status_code == 404
    _response, queries = _get(Client(), "/api/v1/councils/nowhere/")
    assert queries > 0


def test_a_new_day_is_a_new_page(elbasan):
    Client().get("/elbasan/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with mock.patch.object(page_cache.timezone, "localdate", return_value=tomorrow):
        _response, queries = _get(Client(), "/elbasan/")
    assert queries > 0


def test_the_cache_failing_does_not_fail_the_page(elbasan):
    broken = mock.Mock(side_effect=ConnectionError("redis is down"))
    with (
        mock.patch("kvsp.core.public_cache.cache.get_or_set", broken),
        mock.patch("kvsp.core.public_cache.cache.incr", broken),
        mock.patch("kvsp.core.public_cache.cache.set", broken),
    ):
        assert Client().get("/elbasan/").status_code == 200
        public_cache.changed()  # never raises
    Client().get("/elbasan/")
    with mock.patch.object(public_cache.cache, "get", broken):
        response, queries = _get(Client(), "/elbasan/")
    assert response.status_code == 200 and queries > 0


def test_the_plan_redirect_is_cached_and_follows_a_new_year(elbasan, monkeypatch):
    from plans import selectors

    monkeypatch.setattr(selectors, "newest_published_year", lambda slug: 2025)
    first, _queries = _get(Client(), "/elbasan/plan/")
    assert first.status_code == 302 and first["Location"] == "/elbasan/plan/2025/"
    monkeypatch.setattr(selectors, "newest_published_year", lambda slug: 2026)
    cached, queries = _get(Client(), "/elbasan/plan/")
    assert (cached.status_code, cached["Location"], queries) == (302, "/elbasan/plan/2025/", 0)
    public_cache.changed()  # what approving the 2026 plan does (plans.services.version_approve)
    fresh = Client().get("/elbasan/plan/")
    assert (fresh.status_code, fresh["Location"]) == (302, "/elbasan/plan/2026/")


def test_a_transaction_moves_the_generation_on_once_at_its_commit(django_capture_on_commit_callbacks):
    """Many changes in one transaction (a plan import) bump at each change, but register one
    bump for the commit."""
    before = public_cache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(5):
            public_cache.changed()
    assert len(callbacks) == 1
    assert public_cache.generation() == before + 6  # five at the changes, one at the commit


def test_a_savepoint_rolled_back_takes_its_bump_with_it(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                public_cache.changed()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        public_cache.changed()
    assert len(callbacks) == 1
