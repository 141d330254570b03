"""A citizen's contact (Law 124/2024, DESIGN.md "Visibility") reaches the council's moderators and
nobody else: no public page, CSV, JSON, staff page of a non-moderator, history row or log line.

The positive control (the moderator's page shows it) proves that the search below would find it."""

import logging

import pytest
from django.apps import apps
from django.core import serializers
from simple_history.models import HistoricalChanges

from consultations.models import Concern, ConcernContact
from tests.builders import announce_consultation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Dritan Kontaktemri", "dritan.kontakt@example.al", "+355 69 765 4321"
SECRETS = (NAME, EMAIL, PHONE, "dritan.kontakt")
ORIGINAL = "Fqinji Besnik Gjokaj shet drogë te kafeneja e lagjes."


def _absent(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} found in {where}"


@pytest.fixture
def submitted(client, elbasan, consultation, officers, caplog):
    """A concern sent through the public form with every contact field, then moderated, grouped
    and assessed through the staff pages, with every log record captured."""
    caplog.set_level(logging.DEBUG)
    announce_consultation(consultation)
    response = client.post(
        "/elbasan/concerns/new/",
        {
            "text": ORIGINAL,
            "category": "hotspots",
            "neighbourhood": "Lagjja Kristoforidhi",
            "contact_name": NAME,
            "contact_email": EMAIL,
            "contact_phone": PHONE,
        },
    )
    concern = Concern.objects.get()
    assert response["Location"] == f"/elbasan/concerns/{concern.code}/"
    concern.consultation = consultation
    concern.save()
    client.force_login(officers["secretary"])
    client.post(
        f"/app/elbasan/concerns/{concern.code}/",
        {"action": "publish", "publish-public_text": "Shitje droge te një kafene e lagjes."},
    )
    client.force_login(officers["skn"])
    client.post(
        f"/app/elbasan/consultations/{consultation.pk}/priorities/",
        {"concerns": [concern.pk], "title": "Zonat e nxehta"},
    )
    problem = concern.__class__.objects.get(pk=concern.pk).problem
    client.post(
        f"/app/elbasan/consultations/{consultation.pk}/priorities/{problem.pk}/",
        {
            "title": "Zonat e nxehta",
            "intensity": "high",
            "category": problem.category_id,  # proposed from its concern
            "institutions": [officers["police"].pk],
            "outcome": "in_plan",
        },
    )
    client.logout()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.PUBLISHED and concern.problem == problem
    return concern


def test_the_moderators_see_the_contact(client, submitted, officers):
    """The positive control: the search below finds the contact where it belongs."""
    for moderator in ("secretary", "skn"):
        client.force_login(officers[moderator])
        page = client.get(f"/app/elbasan/concerns/{submitted.code}/").text
        assert EMAIL in page and PHONE in page and NAME in page and ORIGINAL in page


def test_the_contact_is_on_no_public_page_or_open_data_file(client, submitted, consultation):
    pk = consultation.pk
    for url in (
        "/",
        "/elbasan/",
        "/elbasan/consultations/",
        f"/elbasan/consultations/{pk}/",
        f"/elbasan/consultations/{pk}/concerns.csv",
        f"/elbasan/consultations/{pk}/concerns.json",
        f"/elbasan/concerns/{submitted.code}/",
        "/elbasan/concerns/new/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        _absent(body, url)
        assert "Besnik Gjokaj" not in body, url  # the original wording stays with the moderators


def test_the_contact_is_on_no_staff_page_of_a_non_moderator(client, submitted, consultation, officers):
    admin = UserFactory(is_staff=True, is_superuser=True)
    observer = UserFactory(is_national_observer=True)
    pages = (
        "/app/elbasan/consultations/",
        f"/app/elbasan/consultations/{consultation.pk}/",
        f"/app/elbasan/consultations/{consultation.pk}/priorities/",
        f"/app/elbasan/consultations/{consultation.pk}/priorities/{submitted.problem_id}/",
        f"/app/elbasan/concerns/{submitted.code}/",
        f"/app/elbasan/consultations/{consultation.pk}/concerns.csv",
    )
    for who in (officers["member"], officers["chair"], observer, admin):
        client.force_login(who)
        for url in pages:
            response = client.get(url)
            _absent(response.content.decode("utf-8-sig"), f"{url} as {who.full_name}")


def test_the_moderators_csv_export_has_no_contact(client, submitted, consultation, officers):
    client.force_login(officers["secretary"])
    body = client.get(f"/app/elbasan/consultations/{consultation.pk}/concerns.csv").content.decode(
        "utf-8-sig"
    )
    assert ORIGINAL in body  # the moderators' export has the wording...
    _absent(body, "the moderators' CSV")  # ...and never the contact


def test_no_history_row_holds_the_contact_or_the_original(submitted):
    historical = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    assert any(m.__name__ == "HistoricalConcern" for m in historical)
    for model in historical:
        dump = serializers.serialize("json", model.objects.all())
        _absent(dump, model.__name__)
        assert "Besnik Gjokaj" not in dump, model.__name__


def test_no_log_line_holds_the_contact(submitted, caplog):
    records = caplog.get_records("setup") + caplog.records
    assert records, "nothing was logged: the test would prove nothing"  # rules logs each check
    for record in records:
        _absent(record.getMessage(), f"log record {record.name}")
        _absent(str(record.args), f"log record args {record.name}")


def test_forgetting_leaves_nothing_anywhere(client, submitted, officers):
    from kvsp.notify import services as notify
    from kvsp.notify.models import OutboxMessage, SentLog

    notify.deliver_pending()  # the receipt went out: its row and its sent-log entry hold the address
    assert OutboxMessage.objects.filter(email=EMAIL).exists()
    client.force_login(officers["secretary"])
    client.post(f"/app/elbasan/concerns/{submitted.code}/forget/")
    assert not ConcernContact.objects.exists()
    for model in (OutboxMessage, SentLog):  # the e-mails to the citizen go with the contact
        _absent(serializers.serialize("json", model.objects.all()), model.__name__)
    page = client.get(f"/app/elbasan/concerns/{submitted.code}/").text
    _absent(page, "the moderator's page after forgetting")
    assert "Besnik Gjokaj" not in page
    dump = serializers.serialize("json", Concern.objects.all())
    assert "Besnik Gjokaj" not in dump


def test_a_failed_receipt_is_logged_without_the_address(
    client, elbasan, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    """A mail server's refusal quotes the address; the log line keeps only the kind of failure."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"mailbox unavailable")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/elbasan/concerns/new/",
            {"text": "Rruga pa ndriçim", "category": "other", "contact_email": EMAIL},
        )
    assert response.status_code == 302  # the concern is saved and its code shown all the same
    failures = [r for r in caplog.records if "not sent" in r.getMessage()]
    assert [r.getMessage().endswith("(SMTPRecipientsRefused)") for r in failures] == [True]
    for record in caplog.records:
        _absent(record.getMessage() + str(record.exc_info) + str(record.exc_text), "the failure log")
