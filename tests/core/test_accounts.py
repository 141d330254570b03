"""Accounts: sign-in by e-mail, the same answer for every failure, lockout per (account, address),
session rotation, logout, idle timeout, password reset and invitations."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.urls import reverse

from kvsp.core import services
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
pytestmark = pytest.mark.django_db


def _login(client, email, password, address="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **extra)


def test_login_by_email_any_case_rotates_session_and_lands_on_my_councils(client, user, password):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = _login(client, user.email.upper(), password)
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:dashboard")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session.session_key != before


def test_unknown_user_and_wrong_password_get_the_same_answer(client, user):
    unknown = _login(client, "nobody@example.al", "whatever-password", address="10.0.0.2")
    wrong = _login(client, user.email, "wrong-password", address="10.0.0.3")
    assert unknown.status_code == wrong.status_code == 200
    expected = "Adresa e e-mailit ose fjalëkalimi nuk është i saktë."
    assert expected in unknown.content.decode() and expected in wrong.content.decode()
    # What the person typed is still there.
    assert 'value="nobody@example.al"' in unknown.content.decode()


def test_inactive_user_gets_the_same_answer(client, password):
    inactive = UserFactory(password=password, is_active=False)
    response = _login(client, inactive.email, password)
    assert response.status_code == 200
    assert "Adresa e e-mailit ose fjalëkalimi nuk është i saktë." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_is_per_account_and_address_never_per_address_alone(client, user, password):
    colleague = UserFactory(password=password)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email, "wrong-password", address="10.1.1.1")
    locked = _login(client, user.email, password, address="10.1.1.1")
    assert locked.status_code == 429
    assert "Shumë përpjekje" in locked.content.decode()
    # A colleague in the same town hall (same address) still signs in ...
    assert _login(client, colleague.email, password, address="10.1.1.1").status_code == 302
    client.logout()
    # ... and so does the locked person from another address.
    assert _login(client, user.email, password, address="10.2.2.2").status_code == 302


def test_logout_needs_post_and_ends_the_session(user_client):
    assert user_client.get("/accounts/logout/").status_code == 405
    response = user_client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert user_client.get(reverse("councils:dashboard")).status_code == 302


def test_idle_session_is_signed_out(client, user, settings):
    client.force_login(user)
    assert client.get(reverse("councils:dashboard")).status_code == 200
    session = client.session
    session["kvsp_last_seen"] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    response = client.get(reverse("councils:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "http:evil.example"]
)
def test_login_next_never_leaves_the_site(client, user, password, target):
    response = client.post(
        f"{LOGIN}?next={target}", {"username": user.email, "password": password, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:dashboard")


def test_password_change_keeps_typed_values_on_error(user_client):
    response = user_client.post(
        reverse("accounts:password-change"),
        {"old_password": "wrong", "new_password1": "a-new-pass-123", "new_password2": "different"},
    )
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors


def test_password_reset_mails_a_working_link_in_the_users_language(
    client, password, django_capture_on_commit_callbacks
):
    person = UserFactory(password=password, language="en")
    # Through the outbox: the (eager) worker sends it once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": person.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "Reset your KVSP password"
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    path = link.split(settings.SITE_URL, 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("brand-new-pass-42")


def test_password_reset_answers_the_same_for_unknown_address(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.al"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_invitation_sets_password_once_and_signs_in(
    client, platform_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.user_invite(
            email="New.Person@Example.al", full_name="Drita Hasani", invited_by=platform_admin
        )
    assert invited.email == "new.person@example.al"
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Drita Hasani" in body and platform_admin.full_name in body
    path = re.search(r"/accounts/invitation/[^/\s]+/", body).group(0)

    page = client.get(path)
    assert page.status_code == 200 and "Konfiguroni llogarinë tuaj" in page.content.decode()
    weak = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors
    done = client.post(path, {"new_password1": "a-good-pass-2026", "new_password2": "a-good-pass-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("councils:dashboard")
    assert client.session[SESSION_KEY] == str(invited.pk)

    client.logout()
    again = client.get(path)
    assert again.status_code == 404
    assert "Ftesa nuk është e vlefshme" in again.content.decode()


def test_forged_or_expired_invitation_is_refused(client, platform_admin, settings):
    invited = services.user_invite(email="x@example.al", full_name="X Y", invited_by=platform_admin)
    token = services.invitation_token_make(invited)
    assert services.invitation_user_from_token(token) == invited
    assert services.invitation_user_from_token(token[:-2] + "xx") is None
    settings.INVITATION_MAX_AGE = settings.INVITATION_MAX_AGE * 0 - settings.INVITATION_MAX_AGE
    assert services.invitation_user_from_token(token) is None


def test_inviting_someone_with_an_account_is_refused(user, platform_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_invite(email=user.email, full_name="Someone", invited_by=platform_admin)
    assert get_user_model().objects.filter(email=user.email).count() == 1


def test_language_switch_sets_cookie_and_stays_on_site(client):
    response = client.get("/accounts/language/en/?next=/app/")
    assert response.status_code == 302 and response["Location"] == "/app/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/")["Content-Language"] == "en"
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert client.get(f"/accounts/language/sq/?next={target}")["Location"] == "/"
    assert client.get("/accounts/language/xx/").status_code == 404


def test_language_switch_on_get_changes_only_the_cookie(user_client, user):
    """A GET (any link, even from another site) never writes to the database."""
    user_client.get("/accounts/language/en/?next=/")
    user.refresh_from_db()
    assert user.language == "sq"


def test_login_remembers_the_interface_language_for_e_mails(client, user, password):
    client.get("/accounts/language/en/?next=/")
    _login(client, user.email, password)
    user.refresh_from_db()
    assert user.language == "en"


def test_idle_timeout_on_a_public_page_just_signs_out(client, user, settings):
    client.force_login(user)
    client.get("/")
    session = client.session
    session["kvsp_last_seen"] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    response = client.get("/")
    assert response.status_code == 200
    assert "U nxorët nga llogaria" in response.content.decode()
    assert SESSION_KEY not in client.session
