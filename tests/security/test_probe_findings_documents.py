"""Issue 21, finding 4: one rule for an invited guest's documents, whatever the meeting.

She was reading the council-only documents of a task force or a restricted meeting she was
invited to, but not those of a council meeting. DESIGN.md "Visibility": a document is public, for
the council, or for the meeting's participants; an invited guest is a participant, not the council.
So at every meeting she is invited to she reads the public and the participants' documents, never
the council's own — and the rule (``meetings.view_document``), the scoping (``for_user``) and the
download page agree."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.meetings import services as meeting_services
from councils.meetings.models import Document, Invitation, Meeting
from councils.models import Role
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db

MEETINGS = {
    "council": ("council", False),
    "restricted": ("council", True),
    "task_force": ("task_force", False),
    "skn": ("skn", False),
}


@pytest.fixture
def archive():
    elbasan = council("elbasan")
    guest, member, secretary = UserFactory(), UserFactory(), UserFactory()
    guest_person = give_role(elbasan, Role.GUEST, user=guest).person
    member_person = give_role(elbasan, Role.MEMBER, user=member).person
    give_role(elbasan, Role.SECRETARY, user=secretary)
    documents = {}
    for name, (kind, restricted) in MEETINGS.items():
        meeting = Meeting.objects.create(
            council=elbasan,
            kind=kind,
            starts_at=timezone.now() + timedelta(days=3),
            place="Salla",
            restricted=restricted,
        )
        Invitation.objects.create(meeting=meeting, person=guest_person)
        Invitation.objects.create(meeting=meeting, person=member_person)
        for visibility in Document.Visibility.values:
            if visibility == Document.Visibility.PUBLIC and not meeting.is_public:
                continue  # refused by the service: such a document cannot be public
            documents[(name, visibility)] = meeting_services.document_add(
                council=elbasan,
                title=f"{name} {visibility}",
                file=SimpleUploadedFile("a.pdf", b"%PDF-1.7 ..."),
                visibility=visibility,
                uploaded_by=secretary,
                meeting=meeting,
            )
    return {"guest": guest, "member": member, "documents": documents}


def _guest_may(visibility: str) -> bool:
    return visibility != Document.Visibility.COUNCIL


@pytest.mark.parametrize("meeting", sorted(MEETINGS))
def test_an_invited_guest_never_reads_the_councils_own_documents(client, archive, meeting):
    guest = archive["guest"]
    client.force_login(guest)
    readable = set(Document.objects.for_user(guest).values_list("pk", flat=True))
    for (name, visibility), document in archive["documents"].items():
        if name != meeting:
            continue
        expected = _guest_may(visibility)
        assert guest.has_perm("meetings.view_document", document) is expected, visibility
        assert (document.pk in readable) is expected, visibility
        response = client.get(f"/app/elbasan/documents/{document.pk}/")
        assert (response.status_code == 200) is expected, (visibility, response.status_code)


@pytest.mark.parametrize("meeting", sorted(MEETINGS))
def test_an_invited_member_reads_every_document_of_the_meeting(archive, meeting):
    member = archive["member"]
    readable = set(Document.objects.for_user(member).values_list("pk", flat=True))
    for (name, _visibility), document in archive["documents"].items():
        if name == meeting:
            assert member.has_perm("meetings.view_document", document)
            assert document.pk in readable


def test_without_an_invitation_a_guest_reads_only_what_is_public(archive):
    guest = archive["guest"]
    Invitation.objects.filter(person__user=guest).delete()
    guest = type(guest).objects.get(pk=guest.pk)  # forget the invitations read for the request
    readable = set(Document.objects.for_user(guest).values_list("pk", flat=True))
    for (name, visibility), document in archive["documents"].items():
        expected = name == "council" and visibility == Document.Visibility.PUBLIC
        assert guest.has_perm("meetings.view_document", document) is expected, (name, visibility)
        assert (document.pk in readable) is expected, (name, visibility)
