"""Issue 21, finding 3: every part of a meeting's history page follows the visibility table
(DESIGN.md "Visibility"): drafts — the minutes' texts, decisions before the minutes are approved —
stay with the council's own people; the national observer sees what the meeting's page shows her
(decisions once the minutes are approved; public and council documents); members and invited
guests have no history page at all; anonymous visitors are sent to sign in."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.meetings import services as meeting_services
from councils.meetings.models import Document, Invitation
from councils.models import Role
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db

MINUTES = "Teksti-i-draftit-te-procesverbalit"
DECISION = "Vendim-ne-draft-per-ndricimin"
DOC_PUBLIC = "Dokument-publik-i-mbledhjes"
DOC_COUNCIL = "Dokument-vetem-per-keshillin"
DOC_PARTICIPANTS = "Dokument-per-pjesemarresit"
SECRETS = (MINUTES, DECISION, DOC_PUBLIC, DOC_COUNCIL, DOC_PARTICIPANTS)

# What each role reads on the history of a council meeting whose minutes are still a draft.
EVERYTHING = set(SECRETS)
DRAFT_MINUTES_SEEN_BY = {
    "skn": EVERYTHING,
    "secretary": EVERYTHING,
    "chair": EVERYTHING,
    "observer": {DOC_PUBLIC, DOC_COUNCIL},
}
REFUSED = {"member": 403, "guest": 403, "anonymous": 302}


@pytest.fixture
def setting():
    elbasan = council("elbasan")
    people = {
        "skn": UserFactory(),
        "secretary": UserFactory(),
        "chair": UserFactory(),
        "member": UserFactory(),
        "guest": UserFactory(),
        "observer": UserFactory(is_national_observer=True),
    }
    roles = {
        "skn": Role.SKN_POLICE,
        "secretary": Role.SECRETARY,
        "chair": Role.CHAIR,
        "member": Role.MEMBER,
        "guest": Role.GUEST,
    }
    memberships = {name: give_role(elbasan, role, user=people[name]) for name, role in roles.items()}
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(hours=3), place="Salla"
    )
    meeting = meeting_services.attendance_record(meeting=meeting, entries=[])
    Invitation.objects.create(meeting=meeting, person=memberships["guest"].person)
    minutes = meeting_services.minutes_save(
        meeting=meeting, body=MINUTES, author=people["secretary"], version=None
    )
    meeting_services.decision_add(meeting=meeting, text=DECISION)
    for title, visibility in (
        (DOC_PUBLIC, Document.Visibility.PUBLIC),
        (DOC_COUNCIL, Document.Visibility.COUNCIL),
        (DOC_PARTICIPANTS, Document.Visibility.PARTICIPANTS),
    ):
        meeting_services.document_add(
            council=elbasan,
            title=title,
            file=SimpleUploadedFile("a.pdf", b"%PDF-1.7 ..."),
            visibility=visibility,
            uploaded_by=people["secretary"],
            meeting=meeting,
        )
    return {"people": people, "meeting": meeting, "minutes": minutes}


def _page(client, setting, role):
    if role != "anonymous":
        client.force_login(setting["people"][role])
    return client.get(f"/app/elbasan/history/meeting/{setting['meeting'].pk}/")


@pytest.mark.parametrize("role", sorted(DRAFT_MINUTES_SEEN_BY))
def test_each_reader_sees_exactly_what_the_table_allows(client, setting, role):
    response = _page(client, setting, role)
    assert response.status_code == 200
    page = response.content.decode()
    shown = {text for text in SECRETS if text in page}
    assert shown == DRAFT_MINUTES_SEEN_BY[role]


@pytest.mark.parametrize("role", sorted(REFUSED))
def test_members_guests_and_anonymous_get_no_history(client, setting, role):
    response = _page(client, setting, role)
    assert response.status_code == REFUSED[role]
    assert not any(text in response.content.decode() for text in SECRETS)


def test_the_observer_reads_decisions_once_the_minutes_are_approved(client, setting):
    people = setting["people"]
    minutes = meeting_services.minutes_submit(minutes=setting["minutes"], user=people["secretary"])
    meeting_services.minutes_approve(minutes=minutes, user=people["chair"])
    page = _page(client, setting, "observer").content.decode()
    assert DECISION in page
    # The minutes' history still shows their earlier (draft) texts: never to the observer.
    assert MINUTES not in page
    assert DOC_PARTICIPANTS not in page


def test_the_observer_never_sees_a_deleted_document(client, setting):
    Document.objects.filter(title=DOC_COUNCIL).delete()
    assert DOC_COUNCIL not in _page(client, setting, "observer").content.decode()
    client.logout()
    assert DOC_COUNCIL in _page(client, setting, "secretary").content.decode()
