"""Every message goes out through kvsp.notify.services.send, in each recipient's language."""

import pytest
from django.core import mail

from kvsp.notify import services as notify
from tests.factories import UserFactory


@pytest.mark.django_db
def test_send_uses_each_recipients_language_and_hides_other_addresses():
    albanian = UserFactory(language="sq", full_name="Ana & Co")
    english = UserFactory(language="en")
    sent = notify.send(
        recipients=[albanian, english, "guest@example.al"],
        template="password_reset",
        context={"link": "https://kvsp.example/x/", "user": albanian},
        language="sq",
    )
    assert sent == 3
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Rivendosni fjalëkalimin tuaj KVSP",
        "Reset your KVSP password",
        "Rivendosni fjalëkalimin tuaj KVSP",
    ]
    assert [m.to for m in mail.outbox] == [[albanian.email], [english.email], ["guest@example.al"]]
    # Plain text is not HTML-escaped; the HTML part is.
    assert "Ana & Co" in mail.outbox[0].body
    assert "Ana &amp; Co" in mail.outbox[0].alternatives[0][0]


@pytest.mark.django_db
def test_send_attaches_files():
    notify.send(
        recipients=["a@example.al"],
        template="password_reset",
        context={"link": "x", "user": None},
        attachments=[notify.Attachment("meeting.ics", b"BEGIN:VCALENDAR", "text/calendar")],
    )
    assert mail.outbox[0].attachments[0][0] == "meeting.ics"
