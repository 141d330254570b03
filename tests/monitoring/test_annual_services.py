"""The annual report (monitoring/annual): drafted from the year's recorded facts, submitted and
approved only once the year is over, returned with comments, frozen at approval with its PDF and
SHA-256 (and the database refuses any later change), its hand-offs given and listed as waiting.

Today is 15 July 2026 (tests/monitoring/conftest.py): 2026 has not ended, 2025 has."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from consultations.models import Concern, Consultation, Participation, Problem
from councils.meetings.models import Attendance, Meeting
from councils.models import Person
from councils.waiting import waiting_for
from kvsp.notify.models import Notification
from monitoring.annual import data, services
from monitoring.annual.models import AnnualReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TIRANA = ZoneInfo("Europe/Tirane")
ENDED = 2025


def _draft(elbasan, people, year=ENDED, summary="Viti në përmbledhje.") -> AnnualReport:
    report = services.annual_start(council=elbasan, year=year, user=people["skn_police"])
    return services.annual_update(report=report, texts={"summary": summary, "achievements": "Arritje."})


def _approved(elbasan, people) -> AnnualReport:
    report = services.annual_submit(report=_draft(elbasan, people), user=people["skn_police"])
    seen = services.content_stamp(services.annual_content(report))
    return services.annual_approve(report=report, user=people["chair"], seen=seen)


# --- the year's facts ---------------------------------------------------------------------------------


def _meeting(elbasan, kind, day, status="held", year=ENDED):
    return Meeting.objects.create(
        council=elbasan,
        kind=kind,
        starts_at=datetime(year, *day, 10, tzinfo=TIRANA),
        place="Salla",
        status=status,
        cancel_reason="Mungesë kuorumi" if status == "cancelled" else "",
    )


def test_a_year_with_nothing_recorded_says_so(elbasan):
    content = data.annual_data(elbasan, ENDED)
    assert content["empty"] is True
    assert content["plan"] is None
    assert content["meetings"]["council"] == {"held": 0, "planned": 0, "cancelled": 0}
    assert content["consultations"]["total"] == 0 and content["concerns"]["total"] == 0


def test_the_year_is_counted_from_what_was_recorded(elbasan, people):
    first = _meeting(elbasan, Meeting.Kind.COUNCIL, (3, 10))
    second = _meeting(elbasan, Meeting.Kind.COUNCIL, (9, 20))
    _meeting(elbasan, Meeting.Kind.COUNCIL, (11, 5), status="cancelled")
    _meeting(elbasan, Meeting.Kind.SKN, (4, 2))
    _meeting(elbasan, Meeting.Kind.COUNCIL, (12, 20), year=ENDED - 1)  # the year before: not counted
    chair_person = Person.objects.get(user=people["chair"])
    police_person = Person.objects.get(user=people["skn_police"])
    for meeting in (first, second):
        Attendance.objects.create(meeting=meeting, person=chair_person, institution=people["municipality"])
    Attendance.objects.create(
        meeting=first, person=police_person, institution=people["police"], status="absent"
    )
    Attendance.objects.create(
        meeting=second,
        person=police_person,
        institution=people["police"],
        status="represented",
    )
    consultation = Consultation.objects.create(
        council=elbasan, starts_at=datetime(ENDED, 5, 12, 17, tzinfo=TIRANA), place="Shushicë", status="held"
    )
    Participation.objects.create(consultation=consultation, group="youth", women=12, men=9)
    Participation.objects.create(
        consultation=consultation, group="village_heads", women=1, men=6, unspecified=2
    )
    problem = Problem.objects.create(
        council=elbasan, consultation=consultation, title="Droga", outcome="in_plan"
    )
    for code, linked in (("A1", problem), ("A2", problem), ("A3", None)):
        Concern.objects.create(
            council=elbasan,
            consultation=consultation,
            code=code,
            source="oral",
            category="hotspots",
            status="published",
            problem=linked,
        )
    content = data.annual_data(elbasan, ENDED)
    assert content["empty"] is False
    assert content["meetings"]["council"] == {"held": 2, "planned": 0, "cancelled": 1}
    assert content["meetings"]["skn"]["held"] == 1
    assert content["meetings"]["attendance"] == [
        {"institution": "Bashkia Elbasan", "present": 2, "of": 2},
        {"institution": "Drejtoria Vendore e Policisë Elbasan", "present": 1, "of": 2},
    ]
    consultations = content["consultations"]
    assert consultations["held"] == [{"day": f"{ENDED}-05-12", "place": "Shushicë", "participants": 30}]
    assert [(g["group"], g["women"], g["men"], g["unspecified"]) for g in consultations["by_group"]] == [
        ("village_heads", 1, 6, 2),
        ("youth", 12, 9, 0),
    ]
    assert (consultations["women"], consultations["men"], consultations["total"]) == (13, 15, 30)
    assert content["concerns"]["total"] == 3
    assert content["concerns"]["by_outcome"] == [
        {"outcome": "in_plan", "count": 2},
        {"outcome": "", "count": 1},
    ]


def test_a_draft_of_the_year_in_progress_reads_the_plan_as_of_today(elbasan, people, monitored):
    report = _draft(elbasan, people, year=2026)
    content = services.annual_content(report)
    assert content["as_of"] == "2026-07-15"
    assert content["plan"]["year"] == 2026
    assert sum(group["total"] for group in content["by_priority"]) == content["totals"]["total"] == 6
    assert [group["key"] for group in content["by_priority"]] == ["high", "moderate", "low"]
    assert sum(group["total"] for group in content["by_institution"]) == 6
    assert [line["name"] for line in content["indicators"]] == [
        "Patrullime",
        "Orë të zhvilluara",
        "Familje të informuara",
        "Takime",
    ]
    assert all(line["target"] for line in content["indicators"])
    assert "by_source" in content["spending"]
    assert {check["code"] for check in content["compliance"]["checks"]} >= {"council_meetings", "plan"}
    assert set(content["compliance"]["checks"][0]["summary"]) == {"sq", "en"}


# --- the workflow ------------------------------------------------------------------------------------


def test_the_year_not_over_is_refused_in_the_users_language_and_changes_nothing(elbasan, people):
    report = _draft(elbasan, people, year=2026)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.annual_submit(report=report, user=people["skn_police"])
    assert "The year 2026 has not ended" in refused.value.messages[0]
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.DRAFT


def test_a_year_that_has_not_begun_or_twice_is_refused(elbasan, people):
    with pytest.raises(ValidationError):
        services.annual_start(council=elbasan, year=2027)
    _draft(elbasan, people)
    with pytest.raises(ValidationError):
        services.annual_start(council=elbasan, year=ENDED)


def test_submit_needs_a_summary(elbasan, people):
    report = _draft(elbasan, people, summary="")
    with pytest.raises(ValidationError):
        services.annual_submit(report=report, user=people["skn_police"])


def test_returned_resubmitted_approved_frozen_with_its_pdf_and_notices(elbasan, people):
    report = services.annual_submit(report=_draft(elbasan, people), user=people["skn_police"])
    assert Notification.objects.filter(user=people["chair"], kind="annual_submitted").count() == 1
    chair_waits = [item.kind for item in waiting_for(people["chair"])]
    assert "annual_to_approve" in chair_waits
    report = services.annual_return(report=report, comment="Shtoni arritjet.", user=people["chair"])
    assert report.status == AnnualReport.Status.RETURNED
    assert Notification.objects.filter(user=people["skn_police"], kind="annual_returned").count() == 1
    assert Notification.objects.get(user=people["chair"], kind="annual_submitted").handled_at is not None
    assert "annual_returned" in [item.kind for item in waiting_for(people["skn_police"])]
    report = services.annual_update(report=report, texts={"achievements": "Arritje të reja."})
    report = services.annual_submit(report=report, user=people["skn_police"])
    assert Notification.objects.get(user=people["skn_police"], kind="annual_returned").handled_at is not None
    stamp = services.content_stamp(services.annual_content(report))
    report = services.annual_approve(report=report, user=people["chair"], seen=stamp)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED
    assert report.content["narrative"]["achievements"] == "Arritje të reja."
    assert report.content["approved_by"] == people["chair"].full_name
    with report.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == report.sha256
    assert Notification.objects.filter(user=people["skn_police"], kind="annual_approved").count() == 1
    assert "annual_to_approve" not in [item.kind for item in waiting_for(people["chair"])]


def test_the_approval_refuses_content_changed_since_the_page_was_read(elbasan, people):
    report = services.annual_submit(report=_draft(elbasan, people), user=people["skn_police"])
    stale = services.content_stamp(services.annual_content(report))
    _meeting(elbasan, Meeting.Kind.COUNCIL, (6, 1))
    with pytest.raises(ValidationError):
        services.annual_approve(report=report, user=people["chair"], seen=stale)
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.SUBMITTED


def test_the_approval_refuses_a_missing_fingerprint(elbasan, people):
    report = services.annual_submit(report=_draft(elbasan, people), user=people["skn_police"])
    with pytest.raises(ValidationError):
        services.annual_approve(report=report, user=people["chair"], seen="")
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.SUBMITTED


def test_an_approved_report_never_changes(elbasan, people):
    report = _approved(elbasan, people)
    frozen = dict(report.content)
    with pytest.raises(ValidationError):
        services.annual_update(report=report, texts={"summary": "Ndryshim"})
    with pytest.raises(ValidationError):
        services.annual_submit(report=report, user=people["skn_police"])
    with pytest.raises(ValidationError):
        services.annual_return(report=report, comment="Jo", user=people["chair"])
    with pytest.raises(ValidationError):
        services.annual_approve(report=report, user=people["chair"], seen=report.sha256)
    # Later facts of the year do not reach the frozen content.
    _meeting(elbasan, Meeting.Kind.COUNCIL, (6, 1))
    assert services.annual_content(AnnualReport.objects.get(pk=report.pk)) == frozen
    # The database refuses whatever code runs.
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(summary="Ndryshuar")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).delete()
    assert AnnualReport.objects.get(pk=report.pk).summary == "Viti në përmbledhje."


def test_a_draft_changes_freely_at_the_database(elbasan, people):
    report = _draft(elbasan, people)
    AnnualReport.objects.filter(pk=report.pk).update(summary="Tjetër")
    AnnualReport.objects.filter(pk=report.pk).delete()
    assert not AnnualReport.objects.exists()


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "edit", "approve"),
    [
        ("skn_police", True, False),
        ("skn_municipality", True, False),
        ("secretary", True, False),
        ("chair", False, True),
        ("member", False, False),
        ("guest", False, False),
    ],
)
def test_the_skn_drafts_and_the_chair_alone_approves(elbasan, people, who, edit, approve):
    user = people[who]
    assert user.has_perm("monitoring.edit_annual_report", elbasan) is edit
    assert rules.test_rule("monitoring.approve_annual_report", user, elbasan) is approve


def test_not_even_a_platform_admin_approves(elbasan):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert not rules.test_rule("monitoring.approve_annual_report", admin, elbasan)


def test_the_observer_reads_approved_reports_only(elbasan, people):
    observer = UserFactory(is_national_observer=True)
    draft = _draft(elbasan, people, year=2026)
    approved = _approved(elbasan, people)
    assert set(AnnualReport.objects.for_user(observer).values_list("pk", flat=True)) == {approved.pk}
    assert set(AnnualReport.objects.for_user(people["member"]).values_list("pk", flat=True)) == {
        approved.pk,
        draft.pk,
    }


def test_the_public_sees_approved_reports_only(elbasan, people):
    _draft(elbasan, people, year=2026)
    approved = _approved(elbasan, people)
    assert list(AnnualReport.objects.public()) == [approved]


def test_the_submission_is_allowed_from_the_first_day_of_the_next_year():
    from datetime import date

    assert not services.year_over(2026, date(2026, 12, 31))
    assert services.year_over(2026, date(2027, 1, 1))
