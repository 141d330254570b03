"""The reminder rules (monitoring/reminders.py), each on the days it is due and not on the others,
to the right people; a sweep run twice gives everything once; a council can switch a kind off; a
council not established gets nothing; the sweep reads a fixed number of queries. Today is 15 July
2026 (tests/monitoring/conftest.py); the council's people hold their roles from today."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import lifecycle as consultation_lifecycle
from councils.meetings import invitations
from councils.meetings import services as meeting_services
from councils.models import Council
from kvsp.notify import services as notify
from kvsp.notify.models import Notification, OutboxMessage
from monitoring import reminders, services
from monitoring.reminder_kinds import Reminder
from plans import services as plan_services
from tests.builders import approve_by_decision
from tests.factories import council
from tests.monitoring.conftest import record

TIRANE = ZoneInfo("Europe/Tirane")


@pytest.fixture(autouse=True)
def _established(db):
    """Elbasan's council is established (the reference data starts every council as not yet)."""
    Council.objects.filter(municipality__slug="elbasan").update(status=Council.Status.ACTIVE)


def _by_kind(items) -> dict[str, set[tuple[str, int]]]:
    found = {}
    for item in items:
        found.setdefault(item.kind, set()).add((item.key, item.user.pk))
    return found


def _users(items, kind) -> set[int]:
    return {item.user.pk for item in items if item.kind == kind}


def _at(day: date, hour=10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=TIRANE)


def test_an_overdue_activity_once_a_week_to_its_institutions_and_the_skn(monitored, people):
    items = reminders.due(date(2026, 7, 20))
    overdue = [item for item in items if item.kind == Reminder.ACTIVITY_OVERDUE]
    date_activity = monitored.activities["date"]
    for_patrols = {item.user.pk for item in overdue if str(date_activity.lineage) in item.key}
    # Lead: the police (its SKN member); partner: the school (its member); and the whole SKN.
    assert for_patrols == {
        people[k].pk for k in ("skn_police", "member", "skn_municipality", "skn_prosecution")
    }
    done = monitored.activities["h1"]
    assert not [item for item in overdue if str(done.lineage) in item.key]
    assert reminders.send(date(2026, 7, 20)) > 0
    assert reminders.send(date(2026, 7, 20)) == 0
    # The same week: nothing new; the next week: again.
    assert not Notification.objects.filter(kind=Reminder.ACTIVITY_OVERDUE, key__contains="2026-W31").exists()
    before = Notification.objects.filter(kind=Reminder.ACTIVITY_OVERDUE).count()
    reminders.send(date(2026, 7, 24))
    assert Notification.objects.filter(kind=Reminder.ACTIVITY_OVERDUE).count() == before
    reminders.send(date(2026, 7, 27))
    assert Notification.objects.filter(kind=Reminder.ACTIVITY_OVERDUE).count() > before


@pytest.mark.parametrize(("as_of", "days"), [(date(2026, 9, 16), 14), (date(2026, 9, 27), 3)])
def test_a_deadline_in_14_and_in_3_days(monitored, people, as_of, days):
    lineage = str(monitored.activities["q3"].lineage)  # due 30.09, lead: the municipality
    due = [
        item for item in reminders.due(as_of) if item.kind == Reminder.ACTIVITY_DUE and lineage in item.key
    ]
    assert due and all(item.key.endswith(f":2026-09-30:{days}") for item in due)
    assert {item.user.pk for item in due} == {
        people[k].pk for k in ("chair", "secretary", "skn_municipality", "skn_police", "skn_prosecution")
    }
    with_text = due[0].render()
    assert f" {days} " in str(with_text["subject"])


def test_no_deadline_reminder_on_other_days_nor_for_a_closed_activity(monitored):
    lineage = str(monitored.activities["q3"].lineage)
    assert not [
        i for i in reminders.due(date(2026, 9, 20)) if i.kind == Reminder.ACTIVITY_DUE and lineage in i.key
    ]
    cancelled = str(monitored.activities["date_later"].lineage)  # due 31.10, cancelled
    assert not [i for i in reminders.due(date(2026, 10, 17)) if cancelled in i.key]


def test_a_meeting_a_week_and_a_day_ahead_to_its_invitees(elbasan, people):
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=_at(date(2026, 7, 22)), place="Salla"
    )
    meeting.agenda_status = "agreed"  # the invitations of a council meeting wait for its agenda
    meeting.save(update_fields=["agenda_status"])
    invitations.invitations_send(
        meeting=meeting,
        people=[people["member"].person, people["member_health"].person],
        sent_by=people["secretary"],
    )
    invitations.invitation_answer(
        invitation=meeting.invitations.get(person=people["member_health"].person), response="not_attending"
    )
    week = _users(reminders.due(date(2026, 7, 15)), Reminder.MEETING_SOON)
    assert week == {people["member"].pk}  # the one who said no is not reminded
    assert _users(reminders.due(date(2026, 7, 21)), Reminder.MEETING_SOON) == {people["member"].pk}
    assert _users(reminders.due(date(2026, 7, 18)), Reminder.MEETING_SOON) == set()


def test_no_skn_meeting_scheduled_by_the_20th(elbasan, people, meeting):
    skn_and_secretary = {
        people[k].pk for k in ("skn_municipality", "skn_police", "skn_prosecution", "secretary")
    }
    assert _users(reminders.due(date(2026, 7, 19)), Reminder.SKN_NOT_SCHEDULED) == set()
    assert _users(reminders.due(date(2026, 7, 20)), Reminder.SKN_NOT_SCHEDULED) == skn_and_secretary
    meeting_services.meeting_create(
        council=elbasan, kind="skn", starts_at=_at(date(2026, 7, 28)), place="Zyra"
    )
    assert _users(reminders.due(date(2026, 7, 21)), Reminder.SKN_NOT_SCHEDULED) == set()


def test_last_months_report_is_due_and_the_chair_is_told_of_a_submitted_one(plan, people, elbasan):
    skn_and_secretary = {
        people[k].pk for k in ("skn_municipality", "skn_police", "skn_prosecution", "secretary")
    }
    assert _users(reminders.due(date(2026, 8, 5)), Reminder.REPORT_DUE) == skn_and_secretary
    report = services.report_start(council=elbasan, year=2026, month=7)
    services.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    services.report_submit(report=report, user=people["skn_police"])
    assert _users(reminders.due(date(2026, 8, 5)), Reminder.REPORT_DUE) == set()
    # At once, in the submitting transaction: the chair, with a link to the approval.
    waiting = Notification.objects.get(kind=Reminder.REPORT_WAITING)
    assert waiting.user == people["chair"]
    assert waiting.url == "/app/elbasan/monitoring/reports/2026/7/approve/"
    # The daily sweep reminds of the same submission under the same key: nothing twice.
    assert reminders.send(date(2026, 8, 5)) >= 0
    assert Notification.objects.filter(kind=Reminder.REPORT_WAITING).count() == 1


def test_once_the_chair_acts_the_waiting_notice_is_done_and_its_email_withdrawn(plan, people, elbasan):
    notify.deliver_pending()  # the plan's own notices
    mail.outbox.clear()
    report = services.report_start(council=elbasan, year=2026, month=6)
    services.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    services.report_submit(report=report, user=people["skn_police"])
    services.report_return(report=report, comment="Shtoni treguesit.")
    waiting = Notification.objects.get(kind=Reminder.REPORT_WAITING)
    assert waiting.read_at is not None
    assert OutboxMessage.objects.get(key=waiting.key).status == OutboxMessage.Status.WITHDRAWN
    # The chair gets no e-mail; the return's notices go to the SKN and the secretary
    # (tests/monitoring/test_report_handoffs.py).
    notify.deliver_pending()
    assert people["chair"].email not in {address for message in mail.outbox for address in message.to}
    mail.outbox.clear()
    # Submitted again the same day: the chair is told again (the notice of the first submission
    # is done), and approving withdraws that one too.
    # The second submission, five minutes later.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=5)):
        services.report_submit(report=report, user=people["skn_police"])
    assert Notification.objects.filter(kind=Reminder.REPORT_WAITING, read_at__isnull=True).count() == 1
    services.report_approve(report=report, user=people["chair"])
    assert not Notification.objects.filter(kind=Reminder.REPORT_WAITING, read_at__isnull=True).exists()
    notify.deliver_pending()
    assert people["chair"].email not in {address for message in mail.outbox for address in message.to}


def test_a_council_meeting_due_in_the_last_month_of_a_half_year(elbasan, people):
    meeting_services.attendance_record(
        meeting=meeting_services.meeting_create(
            council=elbasan, kind="skn", starts_at=_at(date(2026, 7, 10)), place="Zyra"
        ),
        entries=[],
    )
    officers = {people["chair"].pk, people["secretary"].pk}
    assert _users(reminders.due(date(2026, 11, 20)), Reminder.COUNCIL_MEETING_DUE) == set()
    assert _users(reminders.due(date(2026, 12, 5)), Reminder.COUNCIL_MEETING_DUE) == officers
    meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=_at(date(2026, 12, 18)), place="Salla"
    )
    assert _users(reminders.due(date(2026, 12, 6)), Reminder.COUNCIL_MEETING_DUE) == set()


def test_the_years_plan_not_approved_after_31_january(elbasan, people):
    # The council kept its meetings here since January: the plan was due by 31 January.
    meeting_services.attendance_record(
        meeting=meeting_services.meeting_create(
            council=elbasan, kind="council", starts_at=_at(date(2026, 1, 20)), place="Salla"
        ),
        entries=[],
    )
    officers = {
        people[k].pk for k in ("chair", "secretary", "skn_municipality", "skn_police", "skn_prosecution")
    }
    assert _users(reminders.due(date(2026, 7, 20)), Reminder.PLAN_NOT_APPROVED) == officers


def test_no_plan_reminder_once_it_is_approved(plan):
    assert _users(reminders.due(date(2026, 7, 20)), Reminder.PLAN_NOT_APPROVED) == set()


def test_an_open_consultation_due_five_months_after_the_last(elbasan, people):
    held = consultation_lifecycle.consultation_create(
        council=elbasan, starts_at=_at(date(2026, 2, 10)), place="Shushicë"
    )
    consultation_lifecycle.participation_record(consultation=held, counts={"youth": (3, 4, 0)})
    assert _users(reminders.due(date(2026, 7, 9)), Reminder.CONSULTATION_DUE) == set()
    assert len(_users(reminders.due(date(2026, 7, 15)), Reminder.CONSULTATION_DUE)) == 5
    consultation_lifecycle.consultation_create(
        council=elbasan, starts_at=_at(date(2026, 8, 1)), place="Gjinar"
    )
    assert _users(reminders.due(date(2026, 7, 16)), Reminder.CONSULTATION_DUE) == set()


def test_a_council_switches_a_kind_off(monitored, elbasan):
    services.reminder_settings_save(council=elbasan, enabled={Reminder.ACTIVITY_OVERDUE: False})
    kinds = _by_kind(reminders.due(date(2026, 7, 20)))
    assert Reminder.ACTIVITY_OVERDUE not in kinds and Reminder.SKN_NOT_SCHEDULED in kinds


def test_a_council_not_established_gets_nothing(monitored, elbasan):
    Council.objects.filter(pk=elbasan.pk).update(status=Council.Status.NOT_ESTABLISHED)
    assert reminders.due(date(2026, 7, 20)) == []


def test_the_reminder_settings_page(client, elbasan, people):
    client.force_login(people["secretary"])
    data = {kind: "on" for kind in Reminder.values if kind != Reminder.MEETING_SOON}
    assert client.post("/app/elbasan/reminders/", data).status_code == 302
    assert Reminder.MEETING_SOON in reminders.switched_off(elbasan.pk)
    page = client.get("/app/elbasan/reminders/")
    assert page.context["form"][Reminder.MEETING_SOON].initial is False
    assert page.context["form"][Reminder.REPORT_DUE].initial is True


def _queries(as_of) -> int:
    with CaptureQueriesContext(connection) as captured:
        reminders.due(as_of)
    return len(captured.captured_queries)


def test_the_sweep_reads_a_fixed_number_of_queries_whatever_the_activities(monitored, people, meeting):
    # ``meeting`` is held (the plan was approved at it, its attendance recorded): the sweep reads it.
    assert meeting.attendance.exists()
    few = _queries(date(2026, 7, 20))
    # Belsh: its own plan with many activities, updates and meetings.
    belsh = council("belsh")
    Council.objects.filter(pk=belsh.pk).update(status=Council.Status.ACTIVE)
    from councils import services as council_services

    council_services.seat_add(council=belsh, institution=people["police"])
    held = meeting_services.attendance_record(
        meeting=meeting_services.meeting_create(
            council=belsh, kind="council", starts_at=_at(date(2026, 7, 14)), place="Salla"
        ),
        entries=[],
    )
    version = plan_services.plan_start(council=belsh, year=2026)
    row = plan_services.problem_add(version=version, number="1.1", title="Vjedhjet", priority="high")
    activities = [
        plan_services.activity_add(
            problem=row,
            text=f"Aktiviteti {n}",
            lead=people["police"],
            deadline_kind="recurrence",
            deadline_every_months=2,
        )
        for n in range(15)
    ]
    approve_by_decision(version, chair=people["chair"], meeting=held, submitted_by=people["skn_police"])
    for activity in activities[:5]:
        record(activity, people["chair"], "in_progress", 20, date(2026, 7, 15))
    assert _queries(date(2026, 7, 20)) == few
    assert reminders.send(date(2026, 7, 20)) > 0
