"""Approving a plan by a recorded decision (plans/approval.py, plans/views.py): the chair chooses a
decision of a held, public council meeting of this council that took place after the version was
submitted, with someone recorded present and its minutes approved, and that no other version
cites; every other choice is refused with a clear error on the form, nothing lost; one decision
approves one version, in the database too. The approval page shows the whole version with "Approve"
and "Return with comments" side by side, and a stale link shows what became of the version. Each
step tells the next people (hand-off notices) and withdraws the notice that asked for it. The
plan's files and API name the decision.

Approval queues the PDF task on commit; the test transaction never commits, so it never runs."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from councils.meetings import services as meeting_services
from councils.meetings.models import Attendance, Meeting
from kvsp.core.models import User
from kvsp.notify.models import Notification
from plans import approval, exports, services
from plans.demo import hold_meeting
from plans.models import PlanVersion
from tests.builders import YEAR, fill, record_decision
from tests.factories import UserFactory, council

pytestmark = pytest.mark.django_db

V1 = f"/app/elbasan/plans/{YEAR}/v1/"
V2 = f"/app/elbasan/plans/{YEAR}/v2/"


@pytest.fixture(autouse=True)
def _english(officers, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    User.objects.filter(pk__in=[u.pk for u in officers.values() if isinstance(u, User)]).update(language="en")
    for user in officers.values():
        if isinstance(user, User):
            user.language = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def submitted(draft, officers, meeting):
    """The draft, submitted by the SKN an hour before the council meeting of yesterday."""
    version = approval.version_submit(version=draft, user=officers["skn"])
    PlanVersion.objects.filter(pk=version.pk).update(submitted_at=meeting.starts_at - timedelta(hours=1))
    version.refresh_from_db()
    return version


@pytest.fixture
def decision(meeting):
    """The decision the council meeting of yesterday recorded (through the meetings' service), with
    someone recorded present and the minutes approved."""
    meeting_services.attendance_record(meeting=meeting, entries=[])
    made = meeting_services.decision_add(meeting=meeting, text="Miratohet plani shumaktorial vendor 2026.")
    hold_meeting(meeting)
    return made


# --- the rules of the approval -------------------------------------------------------------------


def test_the_decision_gives_the_meeting_the_number_and_the_date(submitted, officers, decision, meeting):
    version = approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    version.refresh_from_db()
    assert (version.status, version.decision, version.meeting, version.approved_by) == (
        "approved",
        decision,
        meeting,
        officers["chair"],
    )
    assert version.decision_number == f"{decision.number}/{decision.year}" == str(decision)
    assert version.decision_date == timezone.localdate(meeting.starts_at)
    assert version.decision_label == decision.label


def _bad_decision(bad, elbasan, submitted, officers, decision):
    """A decision that cannot approve ``submitted``, and the words of its refusal."""
    yesterday = timezone.now() - timedelta(days=1)
    if bad == "other_council":
        other = meeting_services.meeting_create(
            council=council("belsh"), kind="council", starts_at=yesterday, place="Belsh"
        )
        return record_decision(other), "Choose a decision of this council."
    if bad == "skn_meeting":
        skn = meeting_services.meeting_create(council=elbasan, kind="skn", starts_at=yesterday, place="Zyra")
        return record_decision(skn), "a plan is approved by the council"
    if bad == "restricted":
        closed = meeting_services.meeting_create(
            council=elbasan, kind="council", starts_at=yesterday, place="X", restricted=True
        )
        return record_decision(closed), "a plan is approved by the council"
    if bad == "cancelled":
        Meeting.objects.filter(pk=decision.meeting_id).update(status="cancelled", cancel_reason="Pa kuorum")
        decision.meeting.refresh_from_db()
        return decision, "cancelled"
    if bad == "future":
        ahead = meeting_services.meeting_create(
            council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=3), place="Salla"
        )
        return record_decision(ahead), "has not been held yet"
    if bad == "not_held":
        Meeting.objects.filter(pk=decision.meeting_id).update(status="planned")
        decision.meeting.refresh_from_db()
        return decision, "has not been held yet"
    if bad == "before_submission":
        old = meeting_services.meeting_create(
            council=elbasan, kind="council", starts_at=timezone.now() - timedelta(days=40), place="Salla"
        )
        return record_decision(old), "before the plan was submitted"
    if bad == "cited":
        other_plan = services.plan_start(council=elbasan, year=YEAR + 1)
        fill(other_plan, officers, 1)
        approval.version_submit(version=other_plan, user=officers["skn"])
        PlanVersion.objects.filter(pk=other_plan.pk).update(submitted_at=timezone.now() - timedelta(days=3))
        approval.version_approve(version=other_plan, user=officers["chair"], decision=decision)
        return decision, f"already approved the plan {YEAR + 1}, version 1"
    return None, "Choose the council's decision"


BAD = [
    "other_council",
    "skn_meeting",
    "restricted",
    "cancelled",
    "future",
    "not_held",
    "before_submission",
    "cited",
    "none",
]


@pytest.mark.parametrize("bad", BAD)
def test_each_rule_of_the_approval_refuses_with_its_reason(bad, elbasan, submitted, officers, decision):
    chosen, reason = _bad_decision(bad, elbasan, submitted, officers, decision)
    assert chosen is None or chosen not in approval.eligible_decisions(submitted)
    with pytest.raises(ValidationError) as refused:
        approval.version_approve(version=submitted, user=officers["chair"], decision=chosen)
    assert reason in " ".join(refused.value.message_dict["decision"])
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision, submitted.decision_number) == ("submitted", None, "")


def test_the_form_offers_only_the_eligible_decisions(elbasan, submitted, officers, decision):
    for bad in ("other_council", "skn_meeting", "restricted", "future", "before_submission"):
        _bad_decision(bad, elbasan, submitted, officers, decision)
    later = meeting_services.meeting_create(
        council=elbasan,
        kind="council_extraordinary",
        starts_at=timezone.now() - timedelta(hours=1),
        place="S",
    )
    second = record_decision(later, "Vendim tjetër")
    assert list(approval.eligible_decisions(submitted)) == [second, decision]  # newest meeting first
    # A meeting on the day of the submission counts, even a few hours before it.
    PlanVersion.objects.filter(pk=submitted.pk).update(submitted_at=timezone.now())
    submitted.refresh_from_db()
    today = timezone.localdate()
    assert all(
        timezone.localdate(d.meeting.starts_at) >= today for d in approval.eligible_decisions(submitted)
    )


def test_one_decision_approves_one_version_in_the_database(elbasan, submitted, officers, decision):
    approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    other = services.plan_start(council=elbasan, year=YEAR + 1)
    fill(other, officers, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=other.pk).update(decision=decision)


def test_an_approved_version_has_a_decision_or_a_typed_number(submitted):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=submitted.pk).update(
            status="approved", approved_at=now, decision_date=now.date()
        )
    # Versions approved before decisions were recorded keep the number typed then.
    PlanVersion.objects.filter(pk=submitted.pk).update(
        status="approved", approved_at=now, decision_date=now.date(), decision_number="12"
    )
    legacy = PlanVersion.objects.get(pk=submitted.pk)
    assert legacy.decision is None and legacy.decision_label == "Decision no. 12"


def test_two_approvals_racing_for_one_decision_end_in_the_same_clear_error(
    elbasan, submitted, officers, decision, monkeypatch
):
    """The second approval did not see the first's (a race): the database's one-decision rule
    turns into the refusal on the form, not an error page."""
    other = services.plan_start(council=elbasan, year=YEAR + 1)
    fill(other, officers, 1)
    approval.version_submit(version=other, user=officers["skn"])
    PlanVersion.objects.filter(pk=other.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    monkeypatch.setattr(approval, "decision_refusal", lambda version, chosen: None)
    with pytest.raises(ValidationError) as refused:
        approval.version_approve(version=other, user=officers["chair"], decision=decision)
    assert "already approved another version" in " ".join(refused.value.message_dict["decision"])
    other.refresh_from_db()
    assert other.status == "submitted" and other.decision is None


# --- hand-off notices ------------------------------------------------------------------------------


def _notices(kind):
    return Notification.objects.filter(kind=kind).select_related("user")


def test_a_submitted_plan_waits_for_the_chair_and_the_notice_is_withdrawn_when_approved(
    submitted, officers, decision
):
    (waiting,) = _notices(approval.PLAN_SUBMITTED)
    assert waiting.user == officers["chair"] and waiting.url == f"{V1}approve/"
    assert waiting.read_at is None and "2026" in waiting.title
    approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    waiting.refresh_from_db()
    assert waiting.read_at is not None  # handled
    told = {notice.user for notice in _notices(approval.PLAN_APPROVED)}
    assert told == {officers["skn"], officers["secretary"], officers["chair"]}
    notice = _notices(approval.PLAN_APPROVED).get(user=officers["skn"])
    assert notice.url == V1 and f"decision no. {decision.number}/{decision.year}" in notice.body


def test_a_returned_plan_tells_the_skn_and_the_secretary_with_the_comment(submitted, officers):
    approval.version_return(version=submitted, comment="Shtoni burimin e statistikave.")
    assert _notices(approval.PLAN_SUBMITTED).get().read_at is not None
    returned = _notices(approval.PLAN_RETURNED)
    assert {notice.user for notice in returned} == {officers["skn"], officers["secretary"]}
    assert all("Shtoni burimin e statistikave." in notice.body for notice in returned)
    # Submitted again, later: a new notice for the chair, the first one stays handled.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        approval.version_submit(version=submitted, user=officers["skn"])
    waiting = _notices(approval.PLAN_SUBMITTED).order_by("created_at", "id")
    assert [notice.read_at is None for notice in waiting] == [False, True]


# --- the approval page ---------------------------------------------------------------------------


def test_the_approval_page_shows_the_whole_version_and_both_decisions(client, submitted, officers, decision):
    client.force_login(officers["chair"])
    assert f"{V1}approve/" in client.get(V1).text
    page = client.get(f"{V1}approve/")
    assert page.status_code == 200
    text = page.text
    for problem in submitted.problems.all():
        assert problem.title in text and problem.statistics in text
        for activity in problem.activities.all():
            assert activity.text in text and activity.lead.name in text and str(activity.deadline) in text
            for indicator in activity.indicators.all():
                assert indicator.name in text
    assert f'action="{V1}approve/"' in text and f'action="{V1}return/"' in text
    assert "Return with comments" in text and "Approve and publish" in text
    assert f'<option value="{decision.pk}">' in text and f"Decision no. {decision}" in text
    assert client.get(f"{V1}return/").status_code == 200  # the same page


def test_the_chair_approves_by_choosing_the_decision(client, submitted, officers, decision):
    client.force_login(officers["chair"])
    scan = SimpleUploadedFile("vendimi.pdf", b"%PDF-1.4 vendimi i firmosur", content_type="application/pdf")
    done = client.post(f"{V1}approve/", {"decision": decision.pk, "signed_scan": scan})
    assert done.status_code == 302 and done["Location"] == V1
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision) == ("approved", decision)
    assert submitted.signed_scan.name.endswith(".pdf")
    page = client.get(V1).text
    assert f"decision no. {decision}" in page
    assert f'href="/elbasan/meetings/{decision.meeting_id}/"' in page  # the public meeting page


@pytest.mark.parametrize(
    "bad",
    ["other_council", "cancelled", "future", "before_submission", "cited", "huge_id", "none", "not_a_pdf"],
)
def test_a_wrong_choice_is_a_form_error_and_changes_nothing(
    bad, client, elbasan, submitted, officers, decision
):
    client.force_login(officers["chair"])
    data = {"decision": decision.pk}
    if bad == "huge_id":
        data["decision"] = "9" * 30
    elif bad == "none":
        data["decision"] = ""
    elif bad == "not_a_pdf":
        data["signed_scan"] = SimpleUploadedFile(
            "v.pdf", b"<html><script>x</script>", content_type="application/pdf"
        )
    else:
        data["decision"] = _bad_decision(bad, elbasan, submitted, officers, decision)[0].pk
    response = client.post(f"{V1}approve/", data)
    assert response.status_code == 200 and response.context["approve_form"].errors
    assert 'class="invalid-feedback' in response.text
    assert f'action="{V1}return/"' in response.text  # the page stays whole
    assert PlanVersion.objects.get(pk=submitted.pk).status == "submitted"


def test_a_return_needs_its_comment_and_keeps_the_page(client, submitted, officers):
    client.force_login(officers["chair"])
    response = client.post(f"{V1}return/", {"comment": "  "})
    assert response.status_code == 200 and response.context["return_form"].errors
    assert f'action="{V1}approve/"' in response.text
    returned = client.post(f"{V1}return/", {"comment": "Shtoni burimin e statistikave për 1.2."})
    assert returned.status_code == 302 and returned["Location"] == V1
    assert PlanVersion.objects.get(pk=submitted.pk).status == "draft"


def test_a_stale_link_shows_what_became_of_the_version(client, submitted, officers, decision):
    client.force_login(officers["chair"])
    approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    page = client.get(f"{V1}approve/")  # the chair's old notice
    assert page.status_code == 200 and "already approved" in page.text
    assert f"decision no. {decision}" in page.text.lower() or decision.label in page.text
    assert (
        'action="' not in page.text.split("<main", 1)[-1].split("</main>")[0]
        or "Approve and publish" not in page.text
    )
    again = client.post(f"{V1}approve/", {"decision": decision.pk}, follow=True)
    assert again.status_code == 200 and "already approved" in again.text
    assert client.post(f"{V1}return/", {"comment": "Vonë"}).status_code == 302
    assert PlanVersion.objects.get(pk=submitted.pk).status == "approved"


def test_a_stale_link_after_a_return_shows_the_draft(client, submitted, officers):
    client.force_login(officers["chair"])
    approval.version_return(version=submitted, comment="Shtoni treguesit.")
    page = client.get(f"{V1}approve/")
    assert page.status_code == 200 and "already returned" in page.text and "Shtoni treguesit." in page.text


@pytest.mark.parametrize("who", ["skn", "secretary", "member", "admin"])
def test_only_the_chair_approves_or_returns(who, client, submitted, officers, decision):
    user = UserFactory(is_superuser=True, is_staff=True) if who == "admin" else officers[who]
    client.force_login(user)
    assert f"{V1}approve/" not in client.get(V1).text
    assert client.get(f"{V1}approve/").status_code == 403
    assert client.post(f"{V1}approve/", {"decision": decision.pk}).status_code == 403
    assert client.post(f"{V1}return/", {"comment": "Jo"}).status_code == 403
    assert PlanVersion.objects.get(pk=submitted.pk).status == "submitted"


# --- the plan's files and API name the decision ------------------------------------------------


def test_the_api_names_the_decision_and_links_the_meeting(client, submitted, officers, decision):
    approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    data = client.get(f"/api/v1/councils/elbasan/plans/{YEAR}/v1/", HTTP_ACCEPT_LANGUAGE="en").json()
    found = data["decision"]
    assert found["number"] == f"{decision.number}/{decision.year}"
    assert found["label"] == f"Decision no. {decision.number}/{decision.year}"
    assert found["text"] == decision.text
    assert found["meeting"]["web_url"].endswith(f"/elbasan/meetings/{decision.meeting_id}/")


def test_the_json_names_the_decision_of_a_legacy_approval_as_typed(submitted):
    now = timezone.now()
    PlanVersion.objects.filter(pk=submitted.pk).update(
        status="approved", approved_at=now, decision_date=now.date(), decision_number="12"
    )
    legacy = PlanVersion.objects.select_related("plan__council__municipality__county").get(pk=submitted.pk)
    data = json.loads(exports.plan_json(legacy))
    assert (data["decision"]["number"], data["decision"]["text"]) == ("12", "")
    assert data["decision"]["meeting"] is None


# --- facts behind the decision, the submission, the page the chair read ------------------------


def test_a_decision_of_minutes_not_approved_cannot_approve(submitted, officers, meeting):
    """Its text is not public yet (the public meeting page hides it): the plan would publish it."""
    draft_minutes = record_decision(meeting, minutes=False)
    assert draft_minutes not in approval.eligible_decisions(submitted)
    with pytest.raises(ValidationError, match="minutes of that meeting are not approved"):
        approval.version_approve(version=submitted, user=officers["chair"], decision=draft_minutes)
    hold_meeting(meeting)
    assert draft_minutes in approval.eligible_decisions(submitted)


def test_a_meeting_nobody_attended_cannot_approve(submitted, officers, meeting, decision):
    Attendance.objects.filter(meeting=meeting).update(status=Attendance.Status.ABSENT)
    assert decision not in approval.eligible_decisions(submitted)
    with pytest.raises(ValidationError, match="Nobody was recorded present"):
        approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    Attendance.objects.filter(meeting=meeting).update(status=Attendance.Status.REPRESENTED)
    assert decision in approval.eligible_decisions(submitted)


def test_a_morning_meeting_cannot_approve_a_version_submitted_that_afternoon(submitted, officers, elbasan):
    day = timezone.localdate() - timedelta(days=2)
    morning = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(
        hours=9
    )
    early = meeting_services.meeting_create(council=elbasan, kind="council", starts_at=morning, place="Salla")
    taken = record_decision(early)
    PlanVersion.objects.filter(pk=submitted.pk).update(submitted_at=morning + timedelta(hours=6))
    submitted.refresh_from_db()
    assert taken not in approval.eligible_decisions(submitted)
    with pytest.raises(ValidationError, match="before the plan was submitted"):
        approval.version_approve(version=submitted, user=officers["chair"], decision=taken)


def test_the_chair_approves_only_the_submission_they_read(submitted, officers, decision):
    seen = approval.seen_stamp(submitted)
    approval.version_return(version=submitted, comment="Shtoni treguesit.")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        approval.version_submit(version=submitted, user=officers["skn"])
    PlanVersion.objects.filter(pk=submitted.pk).update(
        submitted_at=decision.meeting.starts_at - timedelta(minutes=30)
    )
    with pytest.raises(ValidationError, match="The version changed since you opened this page"):
        approval.version_approve(version=submitted, user=officers["chair"], decision=decision, seen=seen)
    assert PlanVersion.objects.get(pk=submitted.pk).status == "submitted"
    submitted.refresh_from_db()
    approval.version_approve(
        version=submitted, user=officers["chair"], decision=decision, seen=approval.seen_stamp(submitted)
    )


def test_the_approve_form_carries_the_stamp_and_the_page_refuses_a_stale_one(
    client, submitted, officers, decision
):
    client.force_login(officers["chair"])
    page = client.get(f"{V1}approve/")
    assert page.context["approve_form"]["seen"].value() == submitted.submitted_at.isoformat()
    response = client.post(f"{V1}approve/", {"decision": decision.pk, "seen": "2020-01-01T00:00:00+00:00"})
    assert response.status_code == 200 and "The version changed since you opened this page" in response.text
    assert PlanVersion.objects.get(pk=submitted.pk).status == "submitted"


def test_the_returned_notice_is_withdrawn_when_submitted_again(submitted, officers):
    approval.version_return(version=submitted, comment="Shtoni treguesit.")
    returned = _notices(approval.PLAN_RETURNED)
    assert returned.exists() and all(notice.handled_at is None for notice in returned)
    key = returned.first().key
    assert len(key.split(":")[2]) == len("20260101T120000.123456")
    approval.version_submit(version=submitted, user=officers["skn"])
    assert all(notice.handled_at is not None for notice in _notices(approval.PLAN_RETURNED))


def test_the_returned_notice_is_withdrawn_when_approved(submitted, officers, decision):
    approval.version_return(version=submitted, comment="Shtoni treguesit.")
    Notification.objects.filter(kind=approval.PLAN_SUBMITTED).delete()
    # Resubmitted without the service (as an old row would be): the approval still withdraws it.
    PlanVersion.objects.filter(pk=submitted.pk).update(status="submitted")
    submitted.refresh_from_db()
    approval.version_approve(version=submitted, user=officers["chair"], decision=decision)
    assert all(notice.handled_at is not None for notice in _notices(approval.PLAN_RETURNED))


def test_without_an_eligible_decision_the_page_says_why_and_approve_waits(client, submitted, officers):
    client.force_login(officers["chair"])
    page = client.get(f"{V1}approve/")
    assert "No recorded decision of a held council meeting after the submission yet" in page.text
    assert 'disabled aria-describedby="approve-why"' in " ".join(page.text.split())
    assert f'action="{V1}return/"' in page.text
    response = client.post(f"{V1}return/", {"comment": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"] == [
        "Say what needs to change before returning the plan."
    ]
