"""Open redirect (SECURITY.md row 8, ASVS 3.7.2): every view that goes to an address the visitor
(or the data) gives stays on this site, whatever the address.

REDIRECTORS lists each such place in the code; a guard test greps the project's source and fails
when a new one appears, so it must be added here (and tested) before it ships.
"""

import re
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from kvsp.notify.models import Notification
from monitoring.reminder_kinds import Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
EVIL = [
    "https://evil.example",
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "http:evil.example",
    "https:/evil.example",
    "http:/\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example@testserver",
    "https://testserver@evil.example",
    "https://testserver.evil.example",
    "//evil.example/%2F..",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "ftp://evil.example",
]
ENCODED = ["%2F%2Fevil.example", "/%2F/evil.example"]


def on_site(location: str) -> bool:
    """What a browser would do with the Location: stay on this host (relative, or absolute to the
    test server), over http(s)."""
    normalised = "".join(location.split()).replace("\\", "/")
    parts = urlsplit(normalised)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    if parts.scheme and not parts.netloc:
        return False  # "http:evil.example" is taken as a host by some browsers
    return parts.netloc in ("", "testserver") and not normalised.startswith("//")


def test_the_judge_itself():
    assert on_site("/app/") and on_site("http://testserver/app/")
    assert not any(on_site(target) for target in EVIL if "%2F" not in target)
    # Encoded slashes are a path of this site ("/%2F/evil.example" is /%2F/evil.example here).
    assert all(on_site(target) for target in ENCODED)


def lands_on(response, fallback: str, target: str) -> bool:
    """Refused targets go to ``fallback``; an encoded one may be kept, as a path of this site."""
    location = response["Location"]
    return location == fallback or (target in ENCODED and location == target and on_site(location))


@pytest.fixture
def person():
    return UserFactory(password=PASSWORD)


@pytest.mark.parametrize("target", EVIL)
def test_login(client, person, target):
    response = client.post(
        f"/accounts/login/?next={quote(target)}",
        {"username": person.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert lands_on(response, reverse(settings.LOGIN_REDIRECT_URL), target), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_login_of_someone_already_signed_in(client, person, target):
    client.force_login(person)
    response = client.get(f"/accounts/login/?next={quote(target)}")
    assert response.status_code == 302 and on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_logout(client, person, target):
    client.force_login(person)
    response = client.post(f"/accounts/logout/?next={quote(target)}", {"next": target})
    assert response.status_code == 302
    assert lands_on(response, reverse(settings.LOGOUT_REDIRECT_URL), target), response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", EVIL)
@pytest.mark.parametrize("secure", [False, True])
def test_language_switch(client, target, secure):
    response = client.get(f"/accounts/language/en/?next={quote(target)}", secure=secure)
    assert response.status_code == 302
    assert lands_on(response, "/", target), response["Location"]


def test_the_language_switch_still_goes_back_on_site(client):
    assert client.get("/accounts/language/en/?next=/app/")["Location"] == "/app/"


@pytest.mark.parametrize("target", EVIL)
def test_a_notification_opens_only_an_address_of_this_site(client, person, target):
    notification = Notification.objects.create(
        user=person, kind=Reminder.REPORT_DUE, key=f"report_due:{target}", title="Raporti", url=target
    )
    client.force_login(person)
    response = client.post(f"/app/notifications/{notification.pk}/read/", {"open": "1", "next": target})
    assert response.status_code == 302
    assert lands_on(response, reverse("notify:list"), target), response["Location"]


def test_a_notification_opens_its_own_address(client, person):
    notification = Notification.objects.create(
        user=person, kind=Reminder.REPORT_DUE, key="report_due:own", title="Raporti", url="/app/elbasan/"
    )
    client.force_login(person)
    response = client.post(f"/app/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/app/elbasan/"


@pytest.mark.parametrize("target", EVIL)
def test_the_second_factor_sends_a_verified_officer_on_only_within_the_site(client, target):
    admin = UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)
    client.force_login(admin)  # verified (tests/fixtures/accounts.py)
    response = client.get(f"/accounts/two-factor/verify/?next={quote(target)}")
    assert response.status_code == 302
    assert lands_on(response, reverse(settings.LOGIN_REDIRECT_URL), target), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_the_second_factor_after_the_code_stays_on_site(client, target):
    from tests.fixtures.accounts import current_code, otp_device_for

    admin = UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)
    device = otp_device_for(admin)
    client.force_login(admin, verified=False)
    response = client.post(
        f"/accounts/two-factor/verify/?next={quote(target)}", {"code": current_code(device), "next": target}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert on_site(location), location
    assert target in ENCODED or "evil.example" not in location, location


@pytest.mark.parametrize("page", ["setup", "verify", "backup-codes"])
def test_the_second_factor_pages_link_only_within_the_site(client, page):
    officer = UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)
    client.force_login(officer, verified=False)
    for target in (target for target in EVIL if target not in ENCODED):  # those are paths here
        response = client.get(f"/accounts/two-factor/{page}/?next={quote(target)}")
        if response.status_code == 302:  # on to the step before, carrying this address along
            assert on_site(response["Location"]), (page, target)
        else:
            assert "evil.example" not in response.content.decode(), (page, target)


@pytest.mark.parametrize("target", EVIL)
def test_the_admin_login_goes_to_the_site_login_and_back_only_within_the_site(client, target):
    anonymous = client.get(f"/admin/login/?next={quote(target)}")
    assert anonymous.status_code == 302
    assert anonymous["Location"] in (
        "/accounts/login/?" + urlencode({"next": reverse("admin:index")}),
        "/accounts/login/?" + urlencode({"next": target}),  # only an encoded path of this site
    )
    assert target in ENCODED or "evil.example" not in anonymous["Location"]
    client.force_login(UserFactory(password=PASSWORD, is_staff=True, is_superuser=True))
    signed_in = client.get(f"/admin/login/?next={quote(target)}")
    assert signed_in.status_code == 302
    assert lands_on(signed_in, reverse("admin:index"), target), signed_in["Location"]


# --- the guard ----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PROJECT_CODE = ("kvsp", "councils", "consultations", "plans", "monitoring")
# A place that reads a redirect target from the request, or redirects to one; each is tested above.
SIGNS = re.compile(
    r"""request\.(GET|POST|REQUEST)\.get\(\s*["']next["']"""
    r"""|request\.(GET|POST)\[\s*["']next["']\]"""
    r"|redirect_field_name"
    r"|url_has_allowed_host_and_scheme\("
    r"|HttpResponseRedirect\(request\.(GET|POST|META)"
    r"|redirect\(request\.(GET|POST|META)"
    r"|HTTP_REFERER"
    r"|\bsafe_next\("
)
REDIRECTORS = {
    # safe_next, and its use by the language switch (test_language_switch).
    "kvsp/core/views.py": 5,
    # The admin's login sends to the site's login, or on (test_the_admin_login_...).
    "kvsp/core/admin.py": 1,
    # The second factor's pages go on to safe_next (test_the_second_factor_...).
    "kvsp/core/twofactor/views.py": 3,
    # NotificationReadView: a notification's own address (test_a_notification_opens_...).
    "kvsp/notify/views.py": 1,
}


def _signs() -> dict[str, int]:
    found = {}
    for top in PROJECT_CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            count = len(SIGNS.findall(path.read_text(encoding="utf-8")))
            if count:
                found[str(path.relative_to(ROOT))] = count
    return found


def test_every_place_that_follows_a_given_address_is_tested_here():
    """Login and logout are Django's own views (LoginView, LogoutView), tested above with their
    ``next``; any other reader of ``next`` or of a redirect target must be added to REDIRECTORS
    with a test of its own."""
    assert _signs() == REDIRECTORS
