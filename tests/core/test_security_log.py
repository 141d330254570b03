"""Security logging (kvsp/core/security_log.py): one JSON line on ``kvsp.security`` per login,
logout, failed login, lockout, denial and non-public read, with who, when, what and from where, and
never a secret: no password, session key, CSRF token, token of an address, citizen's contact or
document content."""

import json
import logging
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from councils.models import Role
from kvsp.core import services as core_services
from kvsp.core.security_log import FIELDS, RedactTokensFilter, account_hash, security_event
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CONTENT = b"%PDF-1.7 KONFIDENCIALE-permbajtja-e-dokumentit"
NEW_PASSWORD = "Fjalekalim-i-ri-2026!"  # set outside the factory, whose DEBUG lines name its own
CONTACT = ("Dritan Kontaktemri", "dritan.kontakt@example.al", "+355 69 765 4321")


@pytest.fixture(autouse=True)
def _everything_captured(caplog, settings):
    caplog.set_level(logging.DEBUG)
    settings.KVSP_REQUIRE_2FA = False  # second factor is not what these tests are about


def lines(caplog, event=None) -> list[dict]:
    found = []
    for record in caplog.records:
        if record.name != "kvsp.security":
            continue
        assert json.loads(record.getMessage()) == record.security  # the line is that JSON
        assert set(record.security) <= set(FIELDS)
        if event is None or record.security["event"] == event:
            found.append(record.security)
    return found


def console_output(caplog) -> str:
    """Every captured record as the console handler would write it (its filters applied)."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactTokensFilter) for f in h.filters)
    )
    out = []
    for record in caplog.records:
        copy = logging.makeLogRecord(record.__dict__)
        if handler.filter(copy):
            out.append(handler.format(copy))
    return "\n".join(out)


def everything_logged(caplog) -> str:
    """What a record could carry anywhere: message, arguments and the console line."""
    raw = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'security', '')}" for r in caplog.records)
    return raw + "\n" + console_output(caplog)


def _login(client, email, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _document(the_council, visibility="council"):
    return meeting_services.document_add(
        council=the_council,
        title="Analiza e brendshme",
        file=SimpleUploadedFile("a.pdf", CONTENT),
        visibility=visibility,
        uploaded_by=UserFactory(),
        meeting=None,
    )


def _member(slug="elbasan"):
    member = UserFactory()
    give_role(council(slug), Role.MEMBER, user=member)
    return member


# --- accounts --------------------------------------------------------------------------------


def test_login_and_logout_are_logged_with_user_time_and_address(client, user, password, caplog):
    before = timezone.now() - timedelta(seconds=1)
    assert _login(client, user.email, password, address="10.9.8.7").status_code == 302
    assert client.post("/accounts/logout/", REMOTE_ADDR="10.9.8.7").status_code == 302
    (login,) = lines(caplog, "login")
    (logout,) = lines(caplog, "logout")
    for line, url_name in ((login, "accounts:login"), (logout, "accounts:logout")):
        assert line["user"] == user.pk
        assert line["ip"] == "10.9.8.7"
        assert line["url_name"] == url_name and line["method"] == "POST"
        assert before <= datetime.fromisoformat(line["time"]) <= timezone.now()
    assert user.email not in everything_logged(caplog)


def test_a_failed_login_logs_a_hash_of_the_account_never_the_password_or_the_address(client, user, caplog):
    typed_password = "Sekret-i-gabuar-4711"
    assert _login(client, user.email.upper(), typed_password, address="10.3.3.3").status_code == 200
    assert _login(client, "nobody@example.al", typed_password, address="10.3.3.3").status_code == 200
    first, second = lines(caplog, "login_failed")
    assert first["account"] == account_hash(user.email) and "user" not in first
    assert second["account"] == account_hash("nobody@example.al") != first["account"]
    assert first["ip"] == "10.3.3.3" and first["url_name"] == "accounts:login"
    logged = everything_logged(caplog).lower()
    assert typed_password.lower() not in logged
    assert user.email.lower() not in logged and "nobody@example.al" not in logged


def test_a_lockout_is_logged_and_axes_lines_name_no_email(client, user, caplog):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email, "wrong-password", address="10.1.1.1")
    assert _login(client, user.email, "wrong-password", address="10.1.1.1").status_code == 429
    lockouts = lines(caplog, "lockout")
    assert lockouts, "no lockout line"
    assert lockouts[0]["account"] == account_hash(user.email) and lockouts[0]["ip"] == "10.1.1.1"
    assert any(r.name.startswith("axes") and r.levelno >= logging.WARNING for r in caplog.records)
    logged = everything_logged(caplog).lower()
    assert user.email.lower() not in logged and "wrong-password" not in logged


# --- denials ---------------------------------------------------------------------------------


def test_a_permission_denied_is_logged(client, caplog):
    member = _member()
    participants_only = meeting_services.document_add(
        council=council("elbasan"),
        title="Vetëm pjesëmarrësit",
        file=SimpleUploadedFile("p.pdf", CONTENT),
        visibility="participants",
        uploaded_by=UserFactory(),
        meeting=meeting_services.meeting_create(
            council=council("elbasan"), kind="skn", starts_at=timezone.now(), place="x"
        ),
    )
    client.force_login(member)
    assert client.get(f"/app/elbasan/documents/{participants_only.pk}/").status_code == 403
    (denied,) = lines(caplog, "denied")
    assert denied["status"] == 403 and denied["reason"] == "permission_denied"
    assert denied["user"] == member.pk and denied["council"] == "elbasan"
    assert denied["url_name"] == "meetings:document-download"
    assert not lines(caplog, "read")


def test_a_refused_csrf_post_is_logged_as_a_denial(user, caplog):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/accounts/logout/").status_code == 403
    (denied,) = lines(caplog, "denied")
    assert denied == {**denied, "status": 403, "reason": "forbidden", "user": user.pk}


def test_the_404_hiding_another_council_is_logged_and_a_missing_one_is_not(client, caplog):
    client.force_login(member := _member("elbasan"))
    assert client.get("/app/belsh/documents/").status_code == 404
    assert client.get("/app/no-such-town/documents/").status_code == 404
    (denied,) = lines(caplog, "denied")
    assert denied["status"] == 404 and denied["reason"] == "other_council"
    assert denied["council"] == "belsh" and denied["user"] == member.pk


# --- non-public reads ------------------------------------------------------------------------


def test_a_non_public_document_download_logs_the_document_and_council_never_its_bytes(client, caplog):
    document, public = _document(council("elbasan")), _document(council("elbasan"), "public")
    client.force_login(member := _member())
    response = client.get(f"/app/elbasan/documents/{document.pk}/", REMOTE_ADDR="10.4.4.4")
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENT
    (read,) = lines(caplog, "read")
    assert read["object_type"] == "meetings.document" and read["object_id"] == document.pk
    assert read["council"] == "elbasan" and read["user"] == member.pk and read["ip"] == "10.4.4.4"
    assert read["visibility"] == "council" and read["url_name"] == "meetings:document-download"
    assert CONTENT.decode() not in everything_logged(caplog)
    assert "KONFIDENCIALE" not in everything_logged(caplog)
    # A public document is no non-public read, from the staff pages or the public address.
    assert client.get(f"/app/elbasan/documents/{public.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/elbasan/documents/{public.pk}/").status_code == 200
    assert len(lines(caplog, "read")) == 1


@pytest.fixture
def secretary(db):
    person = UserFactory()
    give_role(council("elbasan"), Role.SECRETARY, user=person)
    return person


@pytest.fixture
def consultation(secretary):
    return consultation_lifecycle.consultation_create(
        council=council("elbasan"), starts_at=timezone.now() - timedelta(days=1), place="Salla e bashkisë"
    )


@pytest.fixture
def concern_with_contact(consultation):
    return consultation_services.concern_submit(
        council=council("elbasan"),
        text="Ndriçimi mungon në rrugën e shkollës.",
        category="other",
        consultation=consultation,
        contact_name=CONTACT[0],
        contact_email=CONTACT[1],
        contact_phone=CONTACT[2],
    )


def test_the_moderators_csv_and_concern_page_are_logged_without_any_contact(
    client, consultation, secretary, concern_with_contact, caplog
):
    client.force_login(secretary)
    csv = client.get(f"/app/elbasan/consultations/{consultation.pk}/concerns.csv")
    assert csv.status_code == 200
    page = client.get(f"/app/elbasan/concerns/{concern_with_contact.code}/")
    assert page.status_code == 200 and CONTACT[1] in page.text  # the moderator sees it, the log never
    export, detail = lines(caplog, "read")
    assert export["object_type"] == "consultations.consultation" and export["object_id"] == consultation.pk
    assert export["kind"] == "concerns_csv" and export["user"] == secretary.pk
    assert detail["object_type"] == "consultations.concern" and detail["object_id"] == concern_with_contact.pk
    assert detail["has_contact"] is True and detail["council"] == "elbasan"
    logged = everything_logged(caplog)
    for value in (*CONTACT, "dritan.kontakt", concern_with_contact.text):
        assert value not in logged, value


def test_the_calendar_feed_is_logged_for_its_owner_without_its_token(client, caplog):
    member = _member()
    feed = meeting_services.calendar_feed_renew(user=member)
    assert client.get(f"/app/calendar/{feed.token}.ics").status_code == 200
    assert client.get("/app/calendar/not-the-token-4242.ics").status_code == 404
    (read,) = lines(caplog, "read")
    assert read["user"] == member.pk and read["kind"] == "calendar_feed"
    assert read["object_type"] == "meetings.calendarfeed" and read["url_name"] == "meetings:calendar-feed"
    assert feed.token not in everything_logged(caplog)
    assert "not-the-token-4242" not in console_output(caplog)  # Django's "Not Found: <path>" line


def test_invitation_and_password_reset_tokens_never_reach_a_line(client, caplog):
    invited = UserFactory()
    invited.set_unusable_password()
    invited.save()
    token = core_services.invitation_token_make(invited)
    url = f"/accounts/invitation/{token}/"
    assert client.get(url).status_code == 200
    answer = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(url, answer).status_code == 302
    assert client.get(url).status_code == 404  # used: Django logs "Not Found: <path>"
    (login,) = lines(caplog, "login")
    assert login["user"] == invited.pk and login["url_name"] == "accounts:invitation-accept"
    reset = default_token_generator.make_token(invited)
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    client.get(f"/accounts/password/reset/{uid}/{reset}/")
    client.get(f"/accounts/password/reset/{uid}/{reset}x/")
    output = everything_logged(caplog)
    assert "Not Found" in output  # the control: Django's line was there, without the token
    for secret in (token, reset, NEW_PASSWORD):
        assert secret not in console_output(caplog)
    for secret in (reset, NEW_PASSWORD):
        assert secret not in output


# --- the whole flow against a denylist ---------------------------------------------------------


def test_no_record_of_a_login_and_download_flow_holds_a_secret(caplog):
    member = UserFactory()
    member.set_password(password := NEW_PASSWORD)
    member.save()
    give_role(council("elbasan"), Role.MEMBER, user=member)
    document = _document(council("elbasan"))
    browser = Client(enforce_csrf_checks=True)
    browser.get(LOGIN)
    csrf_cookie = browser.cookies[settings.CSRF_COOKIE_NAME].value
    page = browser.get(LOGIN).content.decode()
    form_token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(
        LOGIN, {"username": member.email, "password": password, "csrfmiddlewaretoken": form_token}
    )
    assert response.status_code == 302
    session_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.get(f"/app/elbasan/documents/{document.pk}/").status_code == 200
    assert [line["event"] for line in lines(caplog)] == ["login", "read"]
    logged = everything_logged(caplog)
    for secret in (password, session_key, csrf_cookie, form_token, CONTENT.decode(), member.email):
        assert secret not in logged, "a secret reached a log record"


def test_fields_off_the_allow_list_are_dropped(rf, user):
    request = rf.get("/")
    request.user = user
    line = security_event(request, "read", password="x", token="y", email=user.email, kind="k" * 500)
    assert set(line) == {"event", "time", "user", "method", "ip", "kind"}
    assert len(line["kind"]) == 100


def test_gunicorn_access_lines_carry_no_token():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from kvsp.core.gunicorn_log import RedactingLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/app/calendar/Sekret-Kalendari-77.ics?lang=sq",
        "PATH_INFO": "/app/calendar/Sekret-Kalendari-77.ics",
        "QUERY_STRING": "lang=sq",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://kvsp.example/accounts/invitation/Ftese-Sekrete-88/",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = RedactingLogger(Config()).atoms(response, [], environ, timedelta(seconds=1))
    line = " ".join(str(value) for value in atoms.values())
    assert "Sekret-Kalendari-77" not in line and "Ftese-Sekrete-88" not in line
    assert atoms["r"] == "GET /app/calendar/[redacted].ics?lang=sq HTTP/1.1"
