"""The monthly report's hand-off notices (monitoring/handoffs.py): submitted → the chair; returned,
with the comments → the SKN and the technical secretary; approved, then published → the same. Each in
its recipient's language; the notice that asked for something is withdrawn once it is done. Today is
15 July 2026 (tests/monitoring/conftest.py): June's report can be approved, July's not yet."""

from datetime import date, timedelta
from unittest import mock

from django.utils import timezone

from kvsp.notify import kinds
from kvsp.notify.models import Notification, OutboxMessage
from monitoring import services
from monitoring.models import MonthlyReport
from monitoring.progress import report_approvable_from
from monitoring.reminder_kinds import Reminder

SKN_AND_SECRETARY = ("skn_municipality", "skn_police", "skn_prosecution", "secretary")


def _submitted(elbasan, people, month=6) -> MonthlyReport:
    report = services.report_start(council=elbasan, year=2026, month=month)
    services.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    return services.report_submit(report=report, user=people["skn_police"])


def _notices(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters).select_related("user")


def _ids(people, keys) -> set[int]:
    return {people[key].pk for key in keys}


def test_the_kinds_are_hand_offs_on_the_preferences_page_not_reminders():
    for code in ("report_returned", "report_approved"):
        kind = kinds.get(code)
        assert kind.handoff and not kind.reminder
    assert kinds.get(Reminder.REPORT_WAITING).reminder  # the chair's: also the sweep's reminder


def test_a_return_tells_the_skn_and_the_secretary_with_the_comments_in_their_language(plan, people, elbasan):
    people["skn_police"].language = "en"
    people["skn_police"].save(update_fields=["language"])
    report = _submitted(elbasan, people)
    services.report_return(report=report, comment="Shtoni treguesit e qershorit.", user=people["chair"])
    returned = list(_notices("report_returned"))
    assert {n.user_id for n in returned} == _ids(people, SKN_AND_SECRETARY)
    english = next(n for n in returned if n.user_id == people["skn_police"].pk)
    assert english.title == "The chair returned the monitoring report of June 2026"
    assert "Gazmend Oketa returned it with these comments (Elbasan):" in english.body
    assert "Shtoni treguesit e qershorit." in english.body
    assert english.url == "/app/elbasan/monitoring/reports/2026/6/"
    albanian = next(n for n in returned if n.user_id == people["secretary"].pk)
    assert "qershor 2026" in albanian.title  # the month named in Albanian
    # The chair's "waits for your approval" is done, and its e-mail will not leave.
    waiting = Notification.objects.get(kind=Reminder.REPORT_WAITING)
    assert waiting.user == people["chair"] and waiting.read_at is not None
    assert OutboxMessage.objects.get(key=waiting.key).status == OutboxMessage.Status.WITHDRAWN
    # The SKN and the secretary get the e-mail (their default: at once).
    assert OutboxMessage.objects.filter(kind="report_returned").count() == 4
    report.refresh_from_db()
    assert report.returned_by == people["chair"] and report.returned_at is not None


def test_submitting_again_withdraws_the_return_and_a_second_return_is_a_new_notice(plan, people, elbasan):
    report = _submitted(elbasan, people)
    services.report_return(report=report, comment="Shtoni treguesit.", user=people["chair"])
    later = timezone.now() + timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        services.report_submit(report=report, user=people["skn_police"])
    assert not _notices("report_returned", read_at__isnull=True).exists()
    assert not OutboxMessage.objects.filter(
        kind="report_returned", status=OutboxMessage.Status.PENDING
    ).exists()
    # The chair is told of the second submission, and returns it again: four new notices.
    assert _notices(Reminder.REPORT_WAITING, read_at__isnull=True).count() == 1
    with mock.patch("django.utils.timezone.now", return_value=later + timedelta(minutes=5)):
        services.report_return(report=report, comment="Edhe vështirësitë.", user=people["chair"])
    assert _notices("report_returned").count() == 8
    assert _notices("report_returned", read_at__isnull=True).count() == 4
    assert not _notices(Reminder.REPORT_WAITING, read_at__isnull=True).exists()


def test_approval_and_publication_tell_the_skn_and_the_secretary(plan, people, elbasan):
    people["secretary"].language = "en"
    people["secretary"].save(update_fields=["language"])
    report = services.report_approve(report=_submitted(elbasan, people), user=people["chair"])
    assert not _notices(Reminder.REPORT_WAITING, read_at__isnull=True).exists()
    approved = list(_notices("report_approved"))
    assert {n.user_id for n in approved} == _ids(people, SKN_AND_SECRETARY)
    english = next(n for n in approved if n.user_id == people["secretary"].pk)
    assert english.title == "The monitoring report of June 2026 was approved"
    assert english.body.startswith("Gazmend Oketa approved it on ") and "(Elbasan)" in english.body
    assert english.url == "/app/elbasan/monitoring/reports/2026/6/"
    services.report_publish(report=report)
    published = _notices("report_approved", title="The monitoring report of June 2026 is published")
    assert [n.user_id for n in published] == [people["secretary"].pk]
    assert _notices("report_approved").count() == 8
    # Nobody else: not the chair, not a member.
    assert (
        not Notification.objects.filter(
            user__in=[people["chair"], people["member"], people["guest"]], kind__startswith="report_"
        )
        .exclude(kind=Reminder.REPORT_WAITING)
        .exists()
    )


def test_a_months_report_is_approvable_from_the_first_of_its_month():
    assert report_approvable_from(2026, 12) == date(2026, 12, 1)
    assert report_approvable_from(2028, 2) == date(2028, 2, 1)
