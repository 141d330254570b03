"""The SKN's summary after each of its meetings (councils/meetings/skn_summary.py): when its minutes
are approved, to exactly the heads of the municipality, the police and the prosecution office,
through the outbox, once; an institution without a recorded head is skipped and the meeting page
says so."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from councils.meetings import services, skn_summary
from councils.meetings.models import Meeting, Minutes
from councils.models import Institution, Role
from kvsp.notify import services as notify
from kvsp.notify.models import OutboxMessage
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def elbasan():
    return council("elbasan")


@pytest.fixture
def triangle(elbasan):
    """The council's three institutions, with a head each, and an education office with a head
    too (who is not one of the three)."""
    heads = {
        "a": ("Bashkia Elbasan", "Gledian Llatja", "kryetari@elbasan.example.al"),
        "c": ("Drejtoria Vendore e Policisë Elbasan", "Arben Kamami", "drejtori@policia.example.al"),
        "d": (
            "Prokuroria pranë Gjykatës së Shkallës së Parë Elbasan",
            "Elida Kaçupi",
            "drejtues@pp.example.al",
        ),
        "f": ("Zyra Vendore Arsimore Elbasan", "Mimoza Hoxha", "zva@example.al"),
    }
    found = {}
    for category, (name, head, email) in heads.items():
        institution = Institution.objects.create(
            name=name, category=category, head_name=head, head_email=email
        )
        give_role(elbasan, Role.MEMBER, institution=institution)
        found[category] = institution
    return found


@pytest.fixture
def chair(elbasan, triangle):
    user = UserFactory(language="en")
    give_role(elbasan, Role.CHAIR, user=user, institution=triangle["a"])
    return user


def _held_skn_meeting(the_council, author, *, days_ago=1, decision="Të rishikohet aktiviteti 1.4.2."):
    meeting = services.meeting_create(
        council=the_council, kind="skn", starts_at=timezone.now() - timedelta(days=days_ago), place="Bashkia"
    )
    services.attendance_record(meeting=meeting, entries=[])
    services.decision_add(meeting=meeting, text=decision)
    minutes = services.minutes_save(
        meeting=meeting, body="Procesverbali i SKN-së.", author=author, version=None
    )
    return services.minutes_submit(minutes=minutes, user=author)


def test_the_summary_goes_to_exactly_the_three_heads_once(elbasan, triangle, chair):
    minutes = _held_skn_meeting(elbasan, UserFactory())
    services.minutes_approve(minutes=minutes, user=chair)
    rows = OutboxMessage.objects.filter(kind=skn_summary.SKN_SUMMARY)
    assert sorted(rows.values_list("email", flat=True)) == [
        "drejtori@policia.example.al",
        "drejtues@pp.example.al",
        "kryetari@elbasan.example.al",
    ]
    # The step repeated (a retry, a second process): nothing more in the outbox.
    assert skn_summary.skn_summary_send(meeting=minutes.meeting)[0]
    assert rows.count() == 3
    notify.deliver_pending()
    notify.deliver_pending()
    sent = [m for m in mail.outbox if m.to == ["drejtues@pp.example.al"]]
    assert len(sent) == 1
    assert "Të rishikohet aktiviteti 1.4.2." in sent[0].body


def test_a_head_whose_address_changes_is_not_sent_it_again(elbasan, triangle, chair):
    minutes = _held_skn_meeting(elbasan, UserFactory())
    services.minutes_approve(minutes=minutes, user=chair)
    Institution.objects.filter(pk=triangle["c"].pk).update(head_email="tjeter@policia.example.al")
    skn_summary.skn_summary_send(meeting=Meeting.objects.get(pk=minutes.meeting_id))
    assert not OutboxMessage.objects.filter(email="tjeter@policia.example.al").exists()


def test_council_meetings_send_no_summary(elbasan, triangle, chair):
    meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(days=1), place="Salla"
    )
    services.attendance_record(meeting=meeting, entries=[])
    minutes = services.minutes_save(meeting=meeting, body="Procesverbal.", author=UserFactory(), version=None)
    minutes = services.minutes_submit(minutes=minutes, user=minutes.author)
    services.minutes_approve(minutes=minutes, user=chair)
    assert not OutboxMessage.objects.filter(kind=skn_summary.SKN_SUMMARY).exists()


def test_without_a_recorded_head_the_institution_is_skipped_and_the_page_says_so(
    client, elbasan, triangle, chair
):
    Institution.objects.filter(pk=triangle["d"].pk).update(head_email="")
    minutes = _held_skn_meeting(elbasan, UserFactory())
    services.minutes_approve(minutes=minutes, user=chair)
    emails = set(OutboxMessage.objects.filter(kind=skn_summary.SKN_SUMMARY).values_list("email", flat=True))
    assert emails == {"kryetari@elbasan.example.al", "drejtori@policia.example.al"}
    secretary = UserFactory(language="en")
    give_role(elbasan, Role.SECRETARY, user=secretary, institution=triangle["a"])
    client.force_login(secretary)
    page = client.get(f"/app/elbasan/meetings/{minutes.meeting_id}/", **EN).content.decode()
    assert "Summary to the heads of the institutions" in page
    assert "No head with an e-mail address is recorded for this institution" in page
    assert "Prokuroria pranë Gjykatës së Shkallës së Parë Elbasan" in page


def test_the_summary_lists_decisions_and_status_changes_since_the_previous_skn_meeting(elbasan, triangle):
    previous = _held_skn_meeting(elbasan, UserFactory(), days_ago=30, decision="Vendim i vjetër.")
    Minutes.objects.filter(pk=previous.pk).update(status=Minutes.Status.APPROVED)
    minutes = _held_skn_meeting(elbasan, UserFactory(), days_ago=1)
    sections = skn_summary.summary_sections(minutes.meeting)
    text = "\n".join(line for section in sections for line in [section.heading, *section.lines])
    assert "Të rishikohet aktiviteti 1.4.2." in text
    assert "Vendim i vjetër." not in text
    headings = [section.heading for section in sections]
    assert len(headings) >= 3  # decisions, the activities' status changes (monitoring), what waits
    waiting = sections[-1]
    assert any("approve the minutes" in line or "miratojë" in line for line in waiting.lines)
