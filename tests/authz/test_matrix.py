"""The authorization matrix: every URL pattern × every principal × GET and POST.

Expected answers are written here by hand, per URL, from what each principal should be allowed to
do (DESIGN.md "Roles" and "Visibility"); they are never computed from the rules or recorded from
the code's replies. A URL pattern missing here fails the suite, so every new page adds its row.

Principals so far: anonymous visitor, a signed-in person without any role, and the platform
admin. Issue 2 (councils and roles) adds the council principals (member, invited guest, each SKN
seat, technical secretary, chair, national observer) in their own and another council.

POSTs are sent without a CSRF token check (the test client's default) because this matrix is about
authorization; CSRF is tested on its own in tests/core/test_security_baseline.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory

ANON, USER, ADMIN = "anonymous", "user", "platform_admin"
PRINCIPALS = (ANON, USER, ADMIN)


def same(code: int) -> dict[str, int]:
    return dict.fromkeys(PRINCIPALS, code)


def by(anonymous: int, user: int, platform_admin: int) -> dict[str, int]:
    return {ANON: anonymous, USER: user, ADMIN: platform_admin}


@dataclass
class Row:
    get: dict[str, int]
    post: dict[str, int]
    path: Callable[[dict], str] | str = ""
    note: str = field(default="")


# Staff pages of the admin: only the platform admin; everyone else is sent to the admin login.
ADMIN_ONLY = by(302, 302, 200)
ADMIN_PATH_NOTE = "admin views redirect anyone who is not platform staff to the admin login"


def _admin_model_rows(
    app: str, model: str, key: str, *, can_add: bool = True, read_only: bool = False
) -> dict[str, Row]:
    """The five admin pages of one model, as written by hand for the platform admin."""
    base = f"/admin/{app}/{model}/"
    obj = lambda ctx: f"{base}{ctx[key]}/"  # noqa: E731
    return {
        f"admin:{app}_{model}_changelist": Row(ADMIN_ONLY, by(302, 302, 200), base),
        f"admin:{app}_{model}_add": Row(
            by(302, 302, 200 if can_add else 403),
            by(302, 302, 200 if can_add else 403),
            base + "add/",
        ),
        f"admin:{app}_{model}_history": Row(ADMIN_ONLY, by(302, 302, 200), lambda ctx: obj(ctx) + "history/"),
        # GET asks for confirmation; a POST without the confirmation field asks again.
        f"admin:{app}_{model}_delete": Row(ADMIN_ONLY, by(302, 302, 200), lambda ctx: obj(ctx) + "delete/"),
        # POST with no data: the form comes back with its errors; a record whose every field
        # is read-only has nothing to save and goes back to the list unchanged.
        f"admin:{app}_{model}_change": Row(
            ADMIN_ONLY, by(302, 302, 302 if read_only else 200), lambda ctx: obj(ctx) + "change/"
        ),
        # /admin/<app>/<model>/<id>/ is an old address: it redirects to the change page.
        f"route:admin/{app}/{model}/<path:object_id>/": Row(by(302, 302, 302), by(302, 302, 302), obj),
    }


MATRIX: dict[str, Row] = {
    # --- public -----------------------------------------------------------------------------
    "portal:home": Row(same(200), same(405), "/"),
    "healthz": Row(same(200), same(405), "/healthz/"),
    # --- accounts ---------------------------------------------------------------------------
    # A signed-in person who opens the login page is sent on to their councils.
    "accounts:login": Row(by(200, 302, 302), by(200, 302, 302), "/accounts/login/"),
    "accounts:logout": Row(same(405), same(302), "/accounts/logout/"),
    "accounts:password-change": Row(by(302, 200, 200), by(302, 200, 200), "/accounts/password/change/"),
    "accounts:password-change-done": Row(
        by(302, 200, 200), by(302, 405, 405), "/accounts/password/change/done/"
    ),
    "accounts:password-reset": Row(same(200), same(200), "/accounts/password/reset/"),
    "accounts:password-reset-done": Row(same(200), same(405), "/accounts/password/reset/sent/"),
    # A forged reset link shows "no longer valid" (200), never a form that works.
    "accounts:password-reset-confirm": Row(same(200), same(200), "/accounts/password/reset/MQ/forged-token/"),
    "accounts:password-reset-complete": Row(same(200), same(405), "/accounts/password/reset/complete/"),
    "accounts:invitation-accept": Row(same(404), same(404), "/accounts/invitation/forged-token/"),
    "accounts:language": Row(same(302), same(405), "/accounts/language/en/?next=/"),
    # --- staff pages ------------------------------------------------------------------------
    "councils:dashboard": Row(by(302, 200, 200), by(302, 405, 405), "/app/"),
    # --- platform administration ------------------------------------------------------------
    "admin:index": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/"),
    # The admin login page: a signed-in admin is sent on to the index.
    "admin:login": Row(by(200, 200, 302), same(200), "/admin/login/"),
    # Logging out needs a POST; anyone who is not staff is simply sent to the admin index.
    "admin:logout": Row(by(302, 302, 405), same(302), "/admin/logout/"),
    "admin:password_change": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/password_change/"),
    "admin:password_change_done": Row(ADMIN_ONLY, by(302, 302, 405), "/admin/password_change/done/"),
    # Without its query parameters the autocomplete refuses even the admin.
    "admin:autocomplete": Row(by(302, 302, 403), by(302, 302, 405), "/admin/autocomplete/"),
    "admin:jsi18n": Row(ADMIN_ONLY, by(302, 302, 405), "/admin/jsi18n/"),
    # Users have no public page, so "view on site" has nowhere to go.
    "admin:view_on_site": Row(
        by(302, 302, 404),
        by(302, 302, 404),
        lambda ctx: f"/admin/r/{ctx['user_ct']}/{ctx['target_user']}/",
    ),
    "admin:app_list": Row(ADMIN_ONLY, by(302, 302, 200), "/admin/core/"),
    "route:admin/(?P<url>.*)$": Row(by(302, 302, 404), by(302, 302, 404), "/admin/no-such-page/"),
    "admin:auth_user_password_change": Row(
        ADMIN_ONLY,
        by(302, 302, 200),
        lambda ctx: f"/admin/core/user/{ctx['target_user']}/password/",
    ),
    "admin:core_user_simple_history": Row(
        ADMIN_ONLY,
        by(302, 302, 200),
        lambda ctx: f"/admin/core/user/{ctx['target_user']}/history/{ctx['target_user_history']}/",
    ),
    **_admin_model_rows("core", "user", "target_user"),
    **_admin_model_rows("auth", "group", "group"),
    # The lockout records are written by django-axes only: the admin can read and delete them.
    **_admin_model_rows("axes", "accessattempt", "access_attempt", can_add=False, read_only=True),
    **_admin_model_rows("axes", "accesslog", "access_log", can_add=False, read_only=True),
    **_admin_model_rows("axes", "accessfailurelog", "access_failure_log", can_add=False, read_only=True),
    **_admin_model_rows("django_celery_beat", "periodictask", "periodic_task"),
    **_admin_model_rows("django_celery_beat", "intervalschedule", "interval"),
    **_admin_model_rows("django_celery_beat", "crontabschedule", "crontab"),
    **_admin_model_rows("django_celery_beat", "solarschedule", "solar"),
    **_admin_model_rows("django_celery_beat", "clockedschedule", "clocked"),
}


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
    missing = sorted(keys - MATRIX.keys())
    assert not missing, f"add these URL patterns to the authorization matrix: {missing}"


def test_the_matrix_has_no_stale_rows():
    assert sorted(MATRIX.keys() - set(_pattern_keys())) == []


@pytest.fixture
def ctx(db):
    """Objects the URLs point at: each exists, so a refusal is about permission, not absence."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    target = UserFactory(full_name="Target Person")
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    attempt_fields = {
        "user_agent": "test",
        "ip_address": "10.9.9.9",
        "username": "x@example.al",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    return {
        "target_user": target.pk,
        "target_user_history": target.history.latest().history_id,
        "user_ct": ContentType.objects.get_for_model(target).pk,
        "group": Group.objects.create(name="Test group").pk,
        "access_attempt": AccessAttempt.objects.create(failures_since_start=1, **attempt_fields).pk,
        "access_log": AccessLog.objects.create(**attempt_fields).pk,
        "access_failure_log": AccessFailureLog.objects.create(**attempt_fields).pk,
        "interval": interval.pk,
        "periodic_task": PeriodicTask.objects.create(name="t", task="x", interval=interval).pk,
        "crontab": CrontabSchedule.objects.create(minute="0", hour="6").pk,
        "solar": SolarSchedule.objects.create(event="sunrise", latitude=41.1, longitude=20.1).pk,
        "clocked": ClockedSchedule.objects.create(clocked_time=timezone.now()).pk,
    }


def _client_for(principal, client):
    if principal == USER:
        client.force_login(UserFactory(full_name="Plain User"))
    elif principal == ADMIN:
        client.force_login(UserFactory(full_name="Platform Admin", is_staff=True, is_superuser=True))
    return client


CASES = [
    pytest.param(key, principal, method, id=f"{key}|{principal}|{method}")
    for key in sorted(MATRIX)
    for principal in PRINCIPALS
    for method in ("GET", "POST")
]


@pytest.mark.parametrize(("key", "principal", "method"), CASES)
def test_matrix(key, principal, method, client, ctx):
    row = MATRIX[key]
    path = row.path(ctx) if callable(row.path) else row.path
    expected = (row.get if method == "GET" else row.post)[principal]
    client = _client_for(principal, client)
    response = client.get(path) if method == "GET" else client.post(path, {})
    assert response.status_code == expected, f"{method} {path} as {principal}"
    if expected == 302 and principal != ADMIN and key.startswith(("admin:", "route:admin")):
        # Refused admin pages send the visitor to the admin login, never into the admin.
        assert response["Location"].startswith(("/admin/login/", "/admin/")), response["Location"]
        if key != "admin:logout":
            assert response["Location"].startswith("/admin/login/")
