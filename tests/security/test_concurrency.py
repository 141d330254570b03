"""No lost update (SECURITY.md row 4, ASVS 2.3.3): 20 approvals of one plan version, one monthly
report or one set of minutes at once, through the service functions, end in exactly one approval;
the other 19 get the workflow's error, and the history shows one approval.

Real concurrency needs real transactions and row locks: PostgreSQL only (SQLite serialises whole
writes), with a committed database (transaction=True) and a connection per thread.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext

from councils.services import seat_add
from tests.builders import plan_in_force
from tests.conftest import require
from tests.factories import InstitutionFactory, UserFactory, council

THREADS = 20
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres():
    require("postgresql", "SQLite has no row locks")


def _at_once(approve) -> tuple[int, list[Exception]]:
    """Run ``approve()`` in THREADS threads released together; the successes and the errors."""
    barrier = threading.Barrier(THREADS)
    successes, errors, lock = [], [], threading.Lock()

    def run():
        try:
            barrier.wait(timeout=30)
            result = approve()
            with lock:
                successes.append(result)
        except Exception as error:  # every outcome is counted and judged below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return len(successes), errors


def _held_meeting(the_council, author):
    from councils.meetings import services as meetings

    meeting = meetings.meeting_create(
        council=the_council, kind="council", starts_at=timezone.now() - timedelta(hours=2), place="Salla"
    )
    meetings.agenda_item_add(meeting=meeting, title="Plani")
    meeting = meetings.attendance_record(meeting=meeting, entries=[])
    meetings.minutes_save(meeting=meeting, body="Procesverbal.", author=author, version=None)
    meeting.refresh_from_db()
    return meeting


def _submitted_version(the_council, chair, year):
    """Submitted three hours ago: before the meeting of ``_held_meeting``, which may approve it."""
    from plans import approval
    from plans import services as plans
    from plans.models import PlanVersion

    institution = InstitutionFactory()
    seat_add(council=the_council, institution=institution)
    version = plans.plan_start(council=the_council, year=year)
    problem = plans.problem_add(version=version, number="1.1", title="Droga", priority="high")
    plans.activity_add(problem=problem, text="Orë", lead=institution, deadline_kind="all_year")
    version = approval.version_submit(version=version, user=chair)
    PlanVersion.objects.filter(pk=version.pk).update(submitted_at=timezone.now() - timedelta(hours=3))
    version.refresh_from_db()
    return version


def _decision(meeting):
    from councils.meetings import services as meetings
    from plans.demo import hold_meeting

    decision = meetings.decision_add(meeting=meeting, text="Miratohet plani shumaktorial vendor.")
    hold_meeting(meeting)  # someone present and the minutes approved: the decision may approve a plan
    return decision


def _judge(successes, errors, message):
    message = gettext(message)  # as the threads' errors read (the default language)
    assert successes == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors), {type(e) for e in errors}
    assert all(message in " ".join(error.messages) for error in errors), {str(e) for e in errors}


def test_twenty_approvals_of_one_plan_version(reference_data):
    from plans import approval
    from plans.models import PlanVersion

    the_council, chair = council("elbasan"), UserFactory()
    meeting = _held_meeting(the_council, chair)
    version = _submitted_version(the_council, chair, 2026)
    decision = _decision(meeting)

    successes, errors = _at_once(
        lambda: approval.version_approve(
            version=PlanVersion.objects.get(pk=version.pk), user=chair, decision=decision
        )
    )
    _judge(successes, errors, "Only a submitted version is approved.")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    approvals = [row for row in version.history.order_by("history_date") if row.status == "approved"]
    assert len(approvals) == 1


def test_one_decision_cited_by_twenty_plan_versions_at_once_approves_one(reference_data):
    """Twenty versions (twenty years' plans) approved at once by the same decision: one is, the
    other nineteen get the clear refusal on the decision field, never a database error."""
    from plans import approval
    from plans.models import PlanVersion

    the_council, chair = council("elbasan"), UserFactory()
    meeting = _held_meeting(the_council, chair)
    versions = iter([_submitted_version(the_council, chair, 2030 + n) for n in range(THREADS)])
    decision = _decision(meeting)
    lock = threading.Lock()

    def approve():
        with lock:
            version = next(versions)
        return approval.version_approve(version=version, user=chair, decision=decision)

    successes, errors = _at_once(approve)
    assert successes == 1 and len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors), {type(e) for e in errors}
    with_message = [error.message_dict.get("decision") for error in errors]
    assert all(with_message), with_message
    assert PlanVersion.objects.filter(decision=decision).count() == 1
    assert PlanVersion.objects.filter(status="approved").count() == 1


def test_twenty_approvals_of_one_monthly_report(reference_data):
    from monitoring import services as monitoring
    from monitoring.models import MonthlyReport

    the_council, chair = council("elbasan"), UserFactory()
    plan_in_force(the_council, 2026, chair=chair)
    report = monitoring.report_start(council=the_council, year=2026, month=1)
    report = monitoring.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    report = monitoring.report_submit(report=report, user=chair)

    successes, errors = _at_once(
        lambda: monitoring.report_approve(report=MonthlyReport.objects.get(pk=report.pk), user=chair)
    )
    _judge(successes, errors, "Only a submitted report is approved.")
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED and report.sha256
    approvals = [row for row in report.history.all() if row.status == "approved"]
    assert len(approvals) == 1


def test_twenty_approvals_of_one_set_of_minutes(reference_data):
    from councils.meetings import services as meetings
    from councils.meetings.models import Minutes

    the_council, chair = council("elbasan"), UserFactory()
    minutes = meetings.minutes_submit(minutes=_held_meeting(the_council, chair).minutes, user=chair)

    successes, errors = _at_once(
        lambda: meetings.minutes_approve(minutes=Minutes.objects.get(pk=minutes.pk), user=chair)
    )
    _judge(successes, errors, "The minutes are already approved.")
    minutes.refresh_from_db()
    assert minutes.is_approved
    approvals = [row for row in minutes.history.all() if row.status == "approved"]
    assert len(approvals) == 1


def test_the_signed_scan_of_the_one_approval_is_kept(reference_data):
    """The losers' uploads never replace the winner's file."""
    from plans import approval
    from plans.models import PlanVersion

    the_council, chair = council("elbasan"), UserFactory()
    meeting = _held_meeting(the_council, chair)
    version = _submitted_version(the_council, chair, 2027)
    decision = _decision(meeting)
    names = iter(range(THREADS))
    won, lock = [], threading.Lock()

    def approve():
        with lock:
            number = next(names)
        approved = approval.version_approve(
            version=PlanVersion.objects.get(pk=version.pk),
            user=chair,
            decision=decision,
            signed_scan=ContentFile(b"%PDF-1.4 " + str(number).encode(), name=f"vendimi-{number}.pdf"),
        )
        won.append(number)
        return approved

    successes, errors = _at_once(approve)
    assert successes == 1 and len(errors) == THREADS - 1
    version.refresh_from_db()
    assert version.signed_scan.read() == b"%PDF-1.4 " + str(won[0]).encode()
