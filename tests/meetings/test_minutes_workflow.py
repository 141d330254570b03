"""Facts before approvals, the minutes' workflow (draft, submitted, returned, approved) with its
hand-off notices, the agenda's agreement notices, and decisions numbered per council and year."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.meetings import notices, services
from councils.meetings.models import Decision, Meeting, Minutes
from councils.models import Role
from kvsp.notify.models import Notification
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def elbasan():
    return council("elbasan")


@pytest.fixture(autouse=True)
def _english(client):
    """The pages and the services' refusals in English: the assertions are on English text."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _person(the_council, role, **kwargs):
    user = UserFactory(language="en", **kwargs)
    give_role(the_council, role, user=user)
    return user


@pytest.fixture
def people(elbasan):
    return {
        "secretary": _person(elbasan, Role.SECRETARY),
        "chair": _person(elbasan, Role.CHAIR),
        "skn_police": _person(elbasan, Role.SKN_POLICE),
        "skn_prosecution": _person(elbasan, Role.SKN_PROSECUTION),
        "member": _person(elbasan, Role.MEMBER),
    }


def _held(the_council, *, kind="council", starts_at=None, items=("Plani 2026", "Raporti i monitorimit")):
    meeting = services.meeting_create(
        council=the_council,
        kind=kind,
        starts_at=starts_at or timezone.now() - timedelta(hours=3),
        place="Salla e Këshillit",
    )
    for title in items:
        services.agenda_item_add(meeting=meeting, title=title)
    return services.attendance_record(meeting=meeting, entries=[])


def _written(meeting, author, body="Mbledhja u hap nga kryesuesi."):
    return services.minutes_save(meeting=meeting, body=body, author=author, version=None)


def _notices(kind, *, handled=False):
    """{user_id: notification} of one kind, still waiting (or handled)."""
    return {n.user_id: n for n in Notification.objects.filter(kind=kind, handled_at__isnull=not handled)}


def _url(meeting, page=""):
    return f"/app/elbasan/meetings/{meeting.pk}/{page}"


# --- facts before approvals ------------------------------------------------------------------


def test_nothing_is_recorded_of_a_meeting_before_its_start(elbasan, people):
    """A meeting marked held but still ahead (a record made before the rule): its minutes,
    their submission and its decisions are refused."""
    meeting = _held(elbasan)
    minutes = _written(meeting, people["secretary"])
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=10))
    meeting.refresh_from_db()
    for attempt in (
        lambda: services.minutes_save(meeting=meeting, body="Tekst.", author=people["secretary"], version=1),
        lambda: services.minutes_submit(minutes=minutes, user=people["secretary"]),
        lambda: services.decision_add(meeting=meeting, text="Vendim para mbledhjes."),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "has not started yet" in " ".join(refused.value.messages)
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.DRAFT
    assert not Decision.objects.filter(meeting=meeting).exists()


def test_a_planned_meeting_has_no_minutes_or_decisions(elbasan, people):
    ahead = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=3), place="Salla"
    )
    past_but_not_held = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(days=1), place="Salla"
    )
    with pytest.raises(ValidationError, match="has not started yet"):
        services.minutes_save(meeting=ahead, body="Tekst.", author=people["secretary"], version=None)
    with pytest.raises(ValidationError, match="Record the attendance first"):
        services.decision_add(meeting=past_but_not_held, text="Vendim.")


def test_the_pages_explain_instead_of_offering_the_form(client, elbasan, people):
    ahead = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=3), place="Salla"
    )
    client.force_login(people["secretary"])
    for page in ("minutes/", "decisions/add/"):
        response = client.get(_url(ahead, page))
        assert response.status_code == 200
        content = response.content.decode()
        assert "recorded after it has taken place" in content
        assert 'name="body"' not in content and 'name="text"' not in content
    detail = client.get(_url(ahead)).content.decode()
    assert _url(ahead, "minutes/") not in detail and _url(ahead, "decisions/add/") not in detail


# --- writing and submitting ------------------------------------------------------------------


def test_the_minutes_start_with_one_heading_per_agenda_item(client, elbasan, people):
    meeting = _held(elbasan, items=("Plani 2026", "Raporti i monitorimit"))
    client.force_login(people["secretary"])
    form = client.get(_url(meeting, "minutes/")).context["form"]
    assert form.initial["body"] == "1. Plani 2026\n\n2. Raporti i monitorimit"
    response = client.post(
        _url(meeting, "minutes/"), {"body": form.initial["body"] + "\n\nU diskutua.", "version": "0"}
    )
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=meeting).body.startswith("<p>1. Plani 2026</p>")


def test_submitting_tells_the_chair_of_council_minutes(client, elbasan, people):
    meeting = _held(elbasan)
    _written(meeting, people["secretary"])
    client.force_login(people["secretary"])
    response = client.post(_url(meeting, "minutes/submit/"))
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.status, minutes.submitted_by) == (Minutes.Status.SUBMITTED, people["secretary"])
    assert minutes.submitted_at is not None
    waiting = _notices(notices.MINUTES_SUBMITTED)
    assert set(waiting) == {people["chair"].pk}
    assert waiting[people["chair"].pk].url == f"/app/elbasan/meetings/{meeting.pk}/minutes/approve/"
    with pytest.raises(ValidationError, match="already waiting"):
        services.minutes_submit(minutes=minutes, user=people["secretary"])


def test_skn_minutes_go_to_the_chair_and_the_other_skn_members(elbasan, people):
    meeting = _held(elbasan, kind="skn")
    minutes = _written(meeting, people["skn_police"])
    services.minutes_submit(minutes=minutes, user=people["skn_police"])
    assert set(_notices(notices.MINUTES_SUBMITTED)) == {people["chair"].pk, people["skn_prosecution"].pk}


def test_an_edit_after_submission_is_refused_and_keeps_the_text(client, elbasan, people):
    meeting = _held(elbasan)
    minutes = services.minutes_submit(
        minutes=_written(meeting, people["secretary"]), user=people["secretary"]
    )
    with pytest.raises(ValidationError, match="wait for approval"):
        services.minutes_save(meeting=meeting, body="Ndryshuar.", author=people["secretary"], version=1)
    client.force_login(people["secretary"])
    page = client.get(_url(meeting, "minutes/"))
    assert page.status_code == 200 and page.context["refusal"] and 'name="body"' not in page.content.decode()
    response = client.post(
        _url(meeting, "minutes/"), {"body": "Teksti im i ri.", "version": str(minutes.version)}
    )
    assert response.status_code == 200
    assert "wait for approval" in response.content.decode() and "Teksti im i ri." in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).body == "<p>Mbledhja u hap nga kryesuesi.</p>"
    with pytest.raises(ValidationError, match="wait for approval"):
        services.decision_add(meeting=meeting, text="Vendim pas dorëzimit.")


# --- the approval page: approve or return --------------------------------------------------


def test_the_approval_page_shows_what_is_approved(client, elbasan, people):
    from councils.meetings.models import Attendance

    meeting = _held(elbasan)
    chair_membership = people["chair"].person.memberships.get(council=elbasan)
    services.attendance_record(
        meeting=meeting,
        entries=[(people["chair"].person, chair_membership.institution, Attendance.Status.PRESENT, "")],
    )
    services.decision_add(meeting=meeting, text="Miratohet plani vendor i sigurisë.")
    services.minutes_submit(
        minutes=_written(meeting, people["secretary"], "U diskutua plani."), user=people["secretary"]
    )
    client.force_login(people["chair"])
    response = client.get(_url(meeting, "minutes/approve/"))
    assert response.status_code == 200
    content = response.content.decode()
    year = timezone.localtime(meeting.starts_at).year
    for expected in (
        "U diskutua plani.",
        people["chair"].person.full_name,
        f"Decision no. 1/{year}",
        "Miratohet plani vendor i sigurisë.",
        "Plani 2026",
        "Return with comments",
        ">Approve<",
    ):
        assert expected in content, expected
    assert client.get(_url(meeting, "minutes/approve/"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    client.force_login(people["secretary"])
    assert client.get(_url(meeting, "minutes/approve/")).status_code == 403


def test_returning_needs_a_comment_and_loses_nothing(client, elbasan, people):
    meeting = _held(elbasan)
    minutes = services.minutes_submit(
        minutes=_written(meeting, people["secretary"]), user=people["secretary"]
    )
    with pytest.raises(ValidationError) as refused:
        services.minutes_return(minutes=minutes, user=people["chair"], comment="   ")
    assert "comment" in refused.value.message_dict
    client.force_login(people["chair"])
    response = client.post(_url(meeting, "minutes/return/"), {"comment": ""})
    assert response.status_code == 200
    assert "Say what needs to change" in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.SUBMITTED
    # A refusal of the service (the minutes are no longer submitted) keeps the comment as typed.
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.DRAFT)
    response = client.post(_url(meeting, "minutes/return/"), {"comment": "Shtoni emrat e pjesëmarrësve."})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Only minutes waiting for approval can be returned." in content
    assert "Shtoni emrat e pjesëmarrësve." in content


def test_a_return_tells_the_writers_and_a_second_submission_is_a_new_notice(client, elbasan, people):
    meeting = _held(elbasan)
    minutes = services.minutes_submit(
        minutes=_written(meeting, people["secretary"]), user=people["secretary"]
    )
    first = _notices(notices.MINUTES_SUBMITTED)[people["chair"].pk]
    client.force_login(people["chair"])
    response = client.post(_url(meeting, "minutes/return/"), {"comment": "Mungon vendimi për pikën 2."})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.return_comment, minutes.returned_by) == (
        Minutes.Status.RETURNED,
        "Mungon vendimi për pikën 2.",
        people["chair"],
    )
    first.refresh_from_db()
    assert first.handled_at is not None  # withdrawn: it no longer waits
    returned = _notices(notices.MINUTES_RETURNED)
    assert set(returned) == {people["secretary"].pk}
    assert "Mungon vendimi për pikën 2." in returned[people["secretary"].pk].body

    # The writer sees the comment while correcting, then submits again: a new notice.
    client.force_login(people["secretary"])
    page = client.get(_url(meeting, "minutes/"))
    assert "Mungon vendimi për pikën 2." in page.content.decode() and page.context["refusal"] is None
    services.decision_add(meeting=meeting, text="Vendim për pikën 2.")
    minutes.refresh_from_db()  # a decision is a new version of the minutes
    response = client.post(
        _url(meeting, "minutes/"),
        {"body": "Teksti i korrigjuar.", "version": str(minutes.version), "submit": "1"},
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SUBMITTED and minutes.body == "<p>Teksti i korrigjuar.</p>"
    assert _notices(notices.MINUTES_RETURNED) == {}
    again = _notices(notices.MINUTES_SUBMITTED)[people["chair"].pk]
    assert again.pk != first.pk


def test_only_submitted_minutes_are_approved(client, elbasan, people):
    meeting = _held(elbasan)
    minutes = _written(meeting, people["secretary"])
    with pytest.raises(ValidationError, match="Only minutes submitted for approval"):
        services.minutes_approve(minutes=minutes, user=people["chair"])
    client.force_login(people["chair"])
    page = client.get(_url(meeting, "minutes/approve/"))
    assert page.status_code == 200 and "not submitted them for approval yet" in page.content.decode()
    response = client.post(_url(meeting, "minutes/approve/"), {"version": str(minutes.version)})
    assert response.status_code == 200 and "Only minutes submitted for approval" in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.DRAFT


def test_the_approver_approves_the_version_read(elbasan, people):
    meeting = _held(elbasan)
    minutes = services.minutes_submit(
        minutes=_written(meeting, people["secretary"]), user=people["secretary"]
    )
    with pytest.raises(ValidationError, match="changed since you opened them"):
        services.minutes_approve(minutes=minutes, user=people["chair"], version=minutes.version - 1)
    assert Minutes.objects.get(pk=minutes.pk).is_submitted


def test_approval_tells_the_writers_and_the_minutes_never_change(client, elbasan, people):
    meeting = _held(elbasan)
    minutes = services.minutes_submit(
        minutes=_written(meeting, people["secretary"]), user=people["secretary"]
    )
    client.force_login(people["chair"])
    response = client.post(_url(meeting, "minutes/approve/"), {"version": str(minutes.version)})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.is_approved and minutes.approved_by == people["chair"]
    assert _notices(notices.MINUTES_SUBMITTED) == {}
    assert set(_notices(notices.MINUTES_SUBMITTED, handled=True)) == {people["chair"].pk}
    assert set(_notices(notices.MINUTES_APPROVED)) == {people["secretary"].pk}
    for attempt in (
        lambda: services.minutes_save(
            meeting=meeting, body="X", author=people["secretary"], version=minutes.version
        ),
        lambda: services.minutes_submit(minutes=minutes, user=people["secretary"]),
        lambda: services.minutes_return(minutes=minutes, user=people["chair"], comment="Vonë."),
        lambda: services.minutes_approve(minutes=minutes, user=people["chair"]),
        lambda: services.decision_add(meeting=meeting, text="Vonë."),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert Minutes.objects.get(pk=minutes.pk).body == "<p>Mbledhja u hap nga kryesuesi.</p>"
    # The old notice's link shows what became of the minutes, never an error.
    page = client.get(_url(meeting, "minutes/approve/"))
    assert page.status_code == 200 and "These minutes were approved by" in page.content.decode()
    assert 'action="/app/elbasan/meetings/' not in page.content.decode().split("<article")[-1]


# --- the agenda's agreement ------------------------------------------------------------------


def test_the_agenda_goes_to_the_skn_and_its_agreement_to_the_secretary(client, elbasan, people):
    meeting = services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=10), place="Salla"
    )
    client.force_login(people["secretary"])
    empty = client.post(_url(meeting, "agenda/submit/"), follow=True)
    assert "Add at least one agenda item first." in empty.content.decode()
    services.agenda_item_add(meeting=meeting, title="Plani 2026")
    assert client.post(_url(meeting, "agenda/submit/")).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_submitted_by == people["secretary"] and meeting.agenda_submitted_at
    assert set(_notices(notices.AGENDA_TO_AGREE)) == {people["skn_police"].pk, people["skn_prosecution"].pk}
    services.agenda_agree(meeting=meeting, user=people["skn_police"])
    assert _notices(notices.AGENDA_TO_AGREE) == {}
    assert set(_notices(notices.AGENDA_AGREED)) == {people["secretary"].pk}


def test_an_agenda_is_not_sent_for_a_meeting_that_started(elbasan, people):
    meeting = _held(elbasan)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PLANNED)
    with pytest.raises(ValidationError, match="already started"):
        services.agenda_submit(meeting=Meeting.objects.get(pk=meeting.pk), user=people["secretary"])


# --- decisions, numbered per council and year ------------------------------------------------


def _at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def test_decisions_are_numbered_per_council_and_year(elbasan):
    first = _held(elbasan, starts_at=_at(2025, 3, 10), items=())
    second = _held(elbasan, starts_at=_at(2025, 7, 14), items=())
    next_year = _held(elbasan, starts_at=_at(2026, 2, 2), items=())
    other = _held(council("belsh"), starts_at=_at(2025, 7, 14), items=())
    assert str(services.decision_add(meeting=first, text="A")) == "1/2025"
    assert str(services.decision_add(meeting=second, text="B")) == "2/2025"
    assert str(services.decision_add(meeting=second, text="C")) == "3/2025"
    assert str(services.decision_add(meeting=next_year, text="D")) == "1/2026"
    assert str(services.decision_add(meeting=other, text="E")) == "1/2025"
    with timezone.override("Europe/Tirane"):
        from django.utils import translation

        with translation.override("en"):
            assert Decision.objects.get(meeting=next_year).label == "Decision no. 1/2026"


def test_the_database_refuses_a_second_decision_with_the_same_number(elbasan):
    meeting = _held(elbasan, starts_at=_at(2025, 3, 10), items=())
    decision = services.decision_add(meeting=meeting, text="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            council=elbasan, year=2025, number=decision.number, meeting=meeting, text="Dublikatë"
        )


def test_the_meeting_page_names_decisions_by_number_and_year(client, elbasan, people):
    meeting = _held(elbasan, starts_at=_at(2025, 3, 10), items=())
    services.decision_add(meeting=meeting, text="A")
    services.decision_add(meeting=meeting, text="B")
    client.force_login(people["member"])
    content = client.get(_url(meeting)).content.decode()
    assert "Decision no. 1/2025" in content and "Decision no. 2/2025" in content


def test_the_public_page_and_the_pdf_name_decisions_once_approved(client, elbasan, people):
    meeting = _held(elbasan, starts_at=_at(2025, 3, 10), items=())
    services.decision_add(meeting=meeting, text="Miratohet plani.")
    minutes = services.minutes_submit(
        minutes=_written(meeting, people["secretary"]), user=people["secretary"]
    )
    assert "Decision no. 1/2025" not in client.get(f"/elbasan/meetings/{meeting.pk}/").content.decode()
    client.force_login(people["member"])
    assert client.get(_url(meeting, "minutes.pdf")).status_code == 200
    from django.template.loader import render_to_string

    from councils.meetings.selectors import minutes_context

    pdf_html = render_to_string(
        "meetings/minutes_pdf.html", minutes_context(Meeting.objects.get(pk=meeting.pk))
    )
    assert "WAITING FOR APPROVAL" in pdf_html and "Decision no. 1/2025" in pdf_html
    services.minutes_approve(minutes=minutes, user=people["chair"])
    client.logout()
    public = client.get(f"/elbasan/meetings/{meeting.pk}/").content.decode()
    assert "Decision no. 1/2025" in public and f'id="decision-{meeting.decisions.get().pk}"' in public
