"""Two-factor authentication (kvsp/core/twofactor/): who must have it, the addresses open before
it, enrolment, verification with a code or a backup code (each used once), throttling, the admin's
reset (logged), "log out everywhere", and what ends a session or access at the HTTP level.

These tests sign in with ``force_login(user, verified=False)``: the suite's ``force_login`` would
otherwise pass the second factor for them (tests/fixtures/accounts.py)."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils import services as council_services
from councils.models import Role, today
from kvsp.core import services as core_services
from kvsp.core.twofactor import services
from kvsp.core.twofactor.policy import must_use_two_factor
from tests.factories import UserFactory, council, give_role
from tests.fixtures.accounts import current_code, otp_device_for

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"
CODES = "/accounts/two-factor/backup-codes/"


def _officer(role=Role.CHAIR, slug="elbasan"):
    user = UserFactory(full_name=f"Officer {role}")
    give_role(council(slug), role, user=user)
    return user


def _unverified(client, user):
    client.force_login(user, verified=False)
    return client


# --- who must have it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.CHAIR, True),
        (Role.SECRETARY, True),
        (Role.SKN_MUNICIPALITY, True),
        (Role.SKN_POLICE, True),
        (Role.SKN_PROSECUTION, True),
        (Role.MEMBER, False),
        (Role.GUEST, False),
    ],
)
def test_council_roles_that_must_have_a_second_factor(role, required):
    assert must_use_two_factor(_officer(role)) is required


def test_platform_admins_must_have_it_and_plain_users_need_not():
    assert must_use_two_factor(UserFactory(is_staff=True))
    assert must_use_two_factor(UserFactory(is_superuser=True))
    assert not must_use_two_factor(UserFactory())
    assert not must_use_two_factor(UserFactory(is_national_observer=True))


def test_an_ended_chair_seat_no_longer_requires_it():
    chair = UserFactory()
    membership = give_role(
        council("elbasan"), Role.CHAIR, user=chair, start_date=today() - timedelta(days=30)
    )
    council_services.membership_end(membership=membership, end_date=today() - timedelta(days=1))
    assert not must_use_two_factor(chair)


# --- the middleware --------------------------------------------------------------------------------


def test_an_officer_without_a_device_is_sent_to_enrolment_from_staff_pages(client):
    _unverified(client, _officer())
    for path in ("/app/", "/app/elbasan/", "/admin/", "/accounts/password/change/", "/accounts/two-factor/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}", path
    # A form sent before the second factor is not replayed after it.
    assert client.post("/app/elbasan/settings/", {"name": "x"})["Location"] == SETUP


def test_an_officer_with_a_device_is_sent_to_verification(client):
    chair = _officer()
    otp_device_for(chair)
    _unverified(client, chair)
    response = client.get("/app/")
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fapp%2F"
    # The setup page does not let someone with a device enrol another one before verifying.
    assert client.get(SETUP)["Location"].startswith(VERIFY)


def test_public_pages_and_the_sign_in_pages_stay_open_before_the_second_factor(client):
    _unverified(client, _officer())
    assert client.get("/").status_code == 200
    assert client.get("/elbasan/").status_code == 200
    assert client.get("/api/v1/councils/").status_code == 200
    assert client.get("/healthz/").status_code in (200, 503)
    assert client.get("/accounts/language/en/?next=/")["Location"] == "/"
    assert client.get(SETUP).status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_members_without_a_device_are_not_asked(client):
    member = _officer(Role.MEMBER)
    _unverified(client, member)
    assert client.get("/app/").status_code == 200


def test_someone_who_set_it_up_of_their_own_is_asked_too(client):
    member = _officer(Role.MEMBER)
    otp_device_for(member)
    _unverified(client, member)
    assert client.get("/app/")["Location"].startswith(VERIFY)


def test_with_the_setting_off_nobody_is_asked(client, settings):
    settings.KVSP_REQUIRE_2FA = False
    _unverified(client, UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/app/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_force_login_of_the_suite_passes_the_second_factor(client):
    chair = _officer()
    client.force_login(chair)
    assert client.session[DEVICE_ID_SESSION_KEY] == otp_device_for(chair).persistent_id
    assert client.get("/app/").status_code == 200


# --- enrolment and verification ---------------------------------------------------------------------


def test_enrolment_shows_qr_and_key_confirms_with_a_code_and_shows_backup_codes_once(client):
    chair = _officer()
    _unverified(client, chair)
    page = client.get(SETUP + "?next=/app/elbasan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    assert client.get(SETUP).status_code == 200
    assert TOTPDevice.objects.filter(user=chair).count() == 1  # a reload keeps the same secret

    wrong = client.post(SETUP, {"code": "000000", "next": "/app/elbasan/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    assert client.post(SETUP, {"code": "", "next": "/app/elbasan/"}).status_code == 200
    old_key = client.session.session_key
    done = client.post(SETUP, {"code": current_code(device), "next": "/app/elbasan/"})
    assert done.status_code == 302 and done["Location"] == f"{CODES}?next=%2Fapp%2Felbasan%2F"
    assert client.session.session_key != old_key  # the session key rotates on verification
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(done["Location"])
    codes = shown.context["codes"]
    assert shown.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert client.get(done["Location"])["Location"] == reverse("accounts:two-factor")  # shown once
    assert client.get("/app/elbasan/").status_code == 200


def test_a_wrong_code_is_a_form_error_and_throttles_the_next_try(client):
    chair = _officer()
    device = otp_device_for(chair)
    _unverified(client, chair)
    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 200
    assert "code" in wrong.context["form"].errors
    # Straight after a wrong code even the right one waits (django-otp's throttling).
    right = current_code(device)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=device.created_at.now()
    )
    throttled = client.post(VERIFY, {"code": right})
    assert throttled.status_code == 200
    assert "code" in throttled.context["form"].errors
    assert SESSION_KEY in client.session and DEVICE_ID_SESSION_KEY not in client.session
    # Once the wait is over, the right code lets the person in.
    done = client.post(VERIFY, {"code": current_code(device), "next": "/app/"})
    assert done.status_code == 302 and done["Location"] == "/app/"
    assert client.get("/app/").status_code == 200


def test_garbage_codes_never_break_the_page(client):
    chair = _officer()
    otp_device_for(chair)
    _unverified(client, chair)
    for code in ("", "x" * 500, "１２３４５６", "' OR 1=1 --", "12 34 56"):
        TOTPDevice.objects.filter(user=chair).update(throttling_failure_count=0)
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200, code


def test_a_backup_code_works_once(client):
    chair = _officer()
    otp_device_for(chair)
    codes = services.backup_codes_replace(user=chair)
    _unverified(client, chair)
    used = client.post(VERIFY, {"code": codes[0].upper(), "next": "/app/"})
    assert used.status_code == 302 and used["Location"] == "/app/"
    assert StaticToken.objects.filter(device__user=chair).count() == 9

    other = Client()
    _unverified(other, chair)
    again = other.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors["code"]
    StaticDevice.objects.filter(user=chair).update(throttling_failure_count=0)
    assert other.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_new_backup_codes_replace_the_old_ones(client):
    chair = _officer()
    client.force_login(chair)
    old = services.backup_codes_replace(user=chair)
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.get("/accounts/two-factor/backup-codes/new/").status_code == 405
    response = client.post("/accounts/two-factor/backup-codes/new/")
    assert response["Location"].startswith(CODES)
    new = client.get(response["Location"]).context["codes"]
    assert not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=chair).values_list("token", flat=True)) == set(new)


# --- closing the bypasses ---------------------------------------------------------------------------


def test_the_admin_login_hands_over_to_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/core/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fcore%2Fuser%2F"
    # A password alone does not open the admin: the staff member is asked for the second factor.
    admin_user = UserFactory(is_staff=True, is_superuser=True, password="a-good-pass-2026")
    client.post("/admin/login/", {"username": admin_user.email, "password": "a-good-pass-2026"})
    assert SESSION_KEY not in client.session  # the admin's own login form is gone
    signed_in = client.post(
        "/accounts/login/", {"username": admin_user.email, "password": "a-good-pass-2026"}
    )
    assert signed_in.status_code == 302
    assert client.get("/admin/")["Location"].startswith(SETUP)
    assert client.get("/admin/core/user/")["Location"].startswith(SETUP)


def test_an_invited_chair_lands_in_enrolment(client, platform_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = core_services.user_invite(
            email="kryetari@example.al", full_name="Kryetari", invited_by=platform_admin
        )
    give_role(council("elbasan"), Role.CHAIR, user=invited)
    path = re.search(r"/accounts/invitation/[^/\s]+/", mail.outbox[0].body).group(0)
    done = client.post(path, {"new_password1": "a-good-pass-2026", "new_password2": "a-good-pass-2026"})
    assert done.status_code == 302 and done["Location"] == SETUP
    assert client.get("/app/")["Location"].startswith(SETUP)


# --- the admin's reset ------------------------------------------------------------------------------


def test_a_platform_admin_resets_a_second_factor_and_it_is_logged(client, caplog):
    chair = _officer()
    otp_device_for(chair)
    services.backup_codes_replace(user=chair)
    chair_client = Client()
    chair_client.force_login(chair)
    assert chair_client.get("/app/").status_code == 200
    admin_user = UserFactory(full_name="Admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    with caplog.at_level(logging.INFO, logger="kvsp.security"):
        response = client.post(
            "/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [chair.pk]}
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert not StaticDevice.objects.filter(user=chair).exists()
    assert f"two-factor reset: user={chair.pk} by={admin_user.pk}" in caplog.text
    record = chair.history.latest()
    assert record.history_user == admin_user
    assert record.history_change_reason == "Two-factor authentication reset"
    # The person's sessions end; at the next sign-in they set it up again.
    assert chair_client.get("/app/")["Location"].startswith("/accounts/login/")
    chair.refresh_from_db()
    chair_client.force_login(chair, verified=False)
    assert chair_client.get("/app/")["Location"].startswith(SETUP)


def test_the_device_admin_pages_are_not_there(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


# --- sessions ---------------------------------------------------------------------------------------


def test_log_out_everywhere_ends_every_session_of_the_person(client):
    chair = _officer()
    laptop, phone = Client(), Client()
    laptop.force_login(chair)
    phone.force_login(chair)
    assert laptop.get("/app/").status_code == 200 and phone.get("/app/").status_code == 200
    assert phone.get("/accounts/logout/everywhere/").status_code == 405
    response = phone.post("/accounts/logout/everywhere/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert laptop.get("/app/elbasan/")["Location"].startswith("/accounts/login/")
    assert phone.get("/app/")["Location"].startswith("/accounts/login/")
    chair.refresh_from_db()
    assert chair.session_epoch == 1
    assert chair.history.latest().history_change_reason == "Logged out everywhere"
    # Signing in again works as before.
    laptop.force_login(chair)
    assert laptop.get("/app/").status_code == 200


def test_a_deactivated_user_is_signed_out_at_the_next_request(client):
    member = _officer(Role.MEMBER)
    client.force_login(member)
    assert client.get("/app/").status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = client.get("/app/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_ended_membership_closes_the_council_at_once(client):
    member = UserFactory()
    membership = give_role(
        council("elbasan"), Role.MEMBER, user=member, start_date=today() - timedelta(days=30)
    )
    client.force_login(member)
    assert client.get("/app/elbasan/").status_code == 200
    council_services.membership_end(membership=membership, end_date=today() - timedelta(days=1))
    # As for anyone outside the council (the matrix's "user"): 404, never a 403 that confirms it.
    assert client.get("/app/elbasan/").status_code == 404


def test_the_second_factor_registry_is_never_silently_empty(monkeypatch):
    """councils fills it in ready(); were it empty, `manage.py check` fails rather than officers
    signing in without a second factor."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from kvsp.core.twofactor import policy

    assert policy.check_roles_registered() == []
    monkeypatch.setattr(policy, "_role_tests", [])
    assert [error.id for error in policy.check_roles_registered()] == ["kvsp.E001"]
    with pytest.raises(SystemCheckError, match=r"kvsp\.E001"):
        call_command("check")
