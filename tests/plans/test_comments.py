"""Public comment on a submitted plan version (plans/comments.py): a period opens only on a submitted
version, for 7 to 60 days, and freezes the rows (in the database too); a comment is taken only while
the period is open, on the plan or on a row of the snapshot; moderation publishes (redacted if need
be) or sets aside; the SKN answers published comments; the citizen gets the code and the answer by
e-mail; the moderators are told; "what changed" compares the snapshot with the version by lineage."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation

from kvsp.notify.models import Notification, OutboxMessage
from plans import approval, comments, services
from plans.comment_models import CommentPeriod, PlanComment, PlanCommentContact
from plans.models import PlanVersion
from tests.builders import approve, comment_period_over, record_decision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def submitted(draft, officers, meeting):
    version = approval.version_submit(version=draft, user=officers["skn"])
    PlanVersion.objects.filter(pk=version.pk).update(submitted_at=meeting.starts_at - timedelta(hours=1))
    version.refresh_from_db()
    return version


def _in(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def period(submitted, officers):
    return comments.period_open(version=submitted, closes_on=_in(21), user=officers["skn"])


def test_a_period_opens_only_on_a_submitted_version(draft, officers):
    with pytest.raises(ValidationError, match="submitted for approval"):
        comments.period_open(version=draft, closes_on=_in(21), user=officers["skn"])
    assert not CommentPeriod.objects.exists()


@pytest.mark.parametrize("days", [6, 61, -1])
def test_a_period_lasts_7_to_60_days(submitted, officers, days):
    with pytest.raises(ValidationError) as refused:
        comments.period_open(version=submitted, closes_on=_in(days), user=officers["skn"])
    assert "closes_on" in refused.value.error_dict


def test_a_version_opens_for_comment_once(period, officers):
    with pytest.raises(ValidationError, match="already"):
        comments.period_open(version=period.version, closes_on=_in(30), user=officers["skn"])


def test_the_snapshot_holds_the_rows_as_commented(period):
    rows = period.snapshot
    assert [row["number"] for row in rows] == ["1.1", "1.2"]
    assert rows[0]["title"] == "Problemi 1"
    assert rows[0]["activities"] == ["Orë edukative 1", "Takime me prindërit 1"]
    assert rows[0]["lineage"] == str(period.version.problems.get(number="1.1").lineage)


def test_the_snapshot_never_changes_in_the_database(period):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CommentPeriod.objects.filter(pk=period.pk).update(snapshot=[])
    period.refresh_from_db()
    assert len(period.snapshot) == 2
    # Other fields may change (nothing does today, but the guard is on the snapshot only).
    CommentPeriod.objects.filter(pk=period.pk).update(closes_on=_in(30))


def test_a_comment_on_a_row_with_an_email(period, officers):
    lineage = period.snapshot[1]["lineage"]
    comment = comments.comment_submit(
        period=period, text="  Shtoni ndriçim te parku.  ", row=lineage, contact_email="qytetar@example.al"
    )
    assert comment.status == PlanComment.Status.RECEIVED
    assert (comment.row_number, comment.row_title, str(comment.row_lineage)) == ("1.2", "Problemi 2", lineage)
    assert comment.text == "Shtoni ndriçim te parku."
    assert len(comment.code) == 9 and comment.code[4] == "-"
    assert PlanCommentContact.objects.get(comment=comment).email == "qytetar@example.al"
    receipt = OutboxMessage.objects.get(kind=comments.COMMENT_RECEIPT)
    assert receipt.email == "qytetar@example.al" and comment.code in receipt.text
    told = Notification.objects.filter(kind=comments.COMMENT_RECEIVED)
    assert {n.user for n in told} == {officers["skn"], officers["secretary"]}


def test_an_anonymous_comment_on_the_whole_plan(period):
    comment = comments.comment_submit(period=period, text="Plani duhet më shumë për të rinjtë.")
    assert not comment.on_row and comment.row_number == ""
    assert not PlanCommentContact.objects.exists()
    assert not OutboxMessage.objects.filter(kind=comments.COMMENT_RECEIPT).exists()


@pytest.mark.parametrize(
    ("text", "row", "field"),
    [("   ", "", "text"), ("x" * 5001, "", "text"), ("Mirë", "00000000-0000-0000-0000-000000000000", "row")],
)
def test_bad_comments_are_refused(period, text, row, field):
    with pytest.raises(ValidationError) as refused:
        comments.comment_submit(period=period, text=text, row=row)
    assert field in refused.value.error_dict
    assert not PlanComment.objects.exists()


def test_a_closed_period_takes_no_comment(period):
    after = timezone.now() + timedelta(days=22)
    with pytest.raises(ValidationError, match="closed on"):
        comments.comment_submit(period=period, text="Vonë", now=after)
    assert comments.closed_message(period, after)
    assert comments.closed_message(period) is None
    assert comments.closed_message(None)
    assert not PlanComment.objects.exists()


def test_the_last_day_is_still_open(period):
    last = timezone.make_aware(
        timezone.datetime.combine(period.closes_on, timezone.datetime.min.time()) + timedelta(hours=23)
    )
    assert period.is_open(last)
    assert not period.is_open(last + timedelta(hours=2))


def test_moderation_publishes_redacted_or_sets_aside(period, officers):
    comment = comments.comment_submit(period=period, text="Agim Hoxha shet drogë te shkolla.")
    published = comments.comment_publish(
        comment=comment, public_text="[emri] shet drogë te shkolla.", user=officers["secretary"]
    )
    assert published.status == PlanComment.Status.PUBLISHED and published.redacted
    assert published.text == "Agim Hoxha shet drogë te shkolla."
    assert Notification.objects.filter(kind=comments.COMMENT_RECEIVED, handled_at__isnull=True).count() == 0
    with pytest.raises(ValidationError):
        comments.comment_publish(comment=comment, public_text="  ", user=officers["secretary"])
    rejected = comments.comment_reject(comment=comment, reason="Emëron një person.", user=officers["skn"])
    assert rejected.status == PlanComment.Status.REJECTED and rejected.status_reason == "Emëron një person."
    with pytest.raises(ValidationError):
        comments.comment_reject(comment=comment, reason=" ", user=officers["skn"])


def test_the_skn_answers_published_comments_and_the_citizen_is_told(period, officers):
    comment = comments.comment_submit(period=period, text="Më shumë patrulla.", contact_email="a@example.al")
    with pytest.raises(ValidationError, match="publish it first"):
        comments.comment_answer(comment=comment, answer="taken_up", reason="Po", user=officers["skn"])
    comments.comment_publish(comment=comment, public_text=comment.text, user=officers["secretary"])
    with pytest.raises(ValidationError) as refused:
        comments.comment_answer(comment=comment, answer="maybe", reason="", user=officers["skn"])
    assert set(refused.value.error_dict) == {"answer", "reason"}
    answered = comments.comment_answer(
        comment=comment, answer="partly", reason="Patrulla në dy lagje.", user=officers["skn"]
    )
    assert (answered.answer, answered.answer_reason, answered.answered_by) == (
        "partly",
        "Patrulla në dy lagje.",
        officers["skn"],
    )
    told = OutboxMessage.objects.get(kind=comments.COMMENT_ANSWERED)
    assert "Patrulla në dy lagje." in told.text
    # Setting it aside withdraws the answer with it (an answer is only on a published comment).
    rejected = comments.comment_reject(comment=comment, reason="Jashtë teme.", user=officers["skn"])
    assert rejected.answer == "" and rejected.answered_by is None


def test_a_version_open_for_comment_is_approved_only_once_every_comment_is_heard(period, officers, meeting):
    version = period.version
    comment = comments.comment_submit(period=period, text="Ndriçimi te shkolla mungon.")
    with pytest.raises(ValidationError) as early:
        approve(version, officers, meeting)
    assert "open for public comment until" in str(early.value)
    comment_period_over(period)
    with pytest.raises(ValidationError) as unmoderated:
        approve(version, officers, meeting)
    assert "1 public comment still waits" in str(unmoderated.value)
    comments.comment_publish(comment=comment, public_text=comment.text, user=officers["secretary"])
    with pytest.raises(ValidationError) as unanswered:
        approve(version, officers, meeting)
    assert "waits for moderation or for the SKN's answer" in str(unanswered.value)
    version.refresh_from_db()
    assert version.status == "submitted"
    comments.comment_answer(comment=comment, answer="taken_up", reason="U shtua.", user=officers["skn"])
    assert comments.approval_refusal(version) is None
    approve(version, officers, meeting)
    version.refresh_from_db()
    assert version.status == "approved"


def test_the_chairs_approval_page_says_why_the_comment_holds_the_approval_back(
    period, officers, meeting, client
):
    version = period.version
    record_decision(meeting, author=officers["chair"])  # a decision to choose, were it not for the comment
    client.force_login(officers["chair"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/app/{version.plan.council.slug}/plans/{version.plan.year}/v{version.number}/approve/"
    page = client.get(url).content.decode()
    assert "open for public comment until" in page and 'name="decision"' not in page
    comment_period_over(period)
    assert 'name="decision"' in client.get(url).content.decode()


def test_what_changed_between_the_commented_draft_and_the_approved_version(period, officers, meeting):
    version = period.version
    comment = comments.comment_submit(period=period, text="Koment")
    comments.comment_reject(comment=comment, reason="Pa lidhje me planin.", user=officers["secretary"])
    comment_period_over(period)
    approval.version_return(version=version, comment="Merrni parasysh komentet.")
    first, second = version.problems.order_by("position")
    services.problem_update(problem=first, title="Droga pranë shkollave", number="1.1", priority="moderate")
    services.activity_add(
        problem=first, text="Ndriçim te parku", lead=officers["police"], deadline_kind="all_year"
    )
    services.problem_remove(problem=second)
    added = services.problem_add(version=version, number="1.3", title="Dhuna në familje", priority="high")
    services.activity_add(
        problem=added, text="Fushatë ndërgjegjësimi", lead=officers["police"], deadline_kind="all_year"
    )
    approve(version, officers, meeting)
    period.refresh_from_db()
    changes = comments.what_changed(period)
    assert [(c.kind, c.number) for c in changes] == [("changed", "1.1"), ("added", "1.3"), ("removed", "1.2")]
    changed = changes[0]
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("identified problem", "Problemi 1", "Droga pranë shkollave"),
        ("priority", "high priority", "moderate priority"),
    ]
    assert changed.activities_added == ["Ndriçim te parku"]
    # The snapshot is what was commented, whatever the later edits.
    assert period.snapshot[0]["title"] == "Problemi 1"


def test_published_comments_come_whole_plan_first_then_by_row(period, officers):
    on_row = comments.comment_submit(period=period, text="Rreshti 2", row=period.snapshot[1]["lineage"])
    whole = comments.comment_submit(period=period, text="I gjithë plani")
    hidden = comments.comment_submit(period=period, text="Pa publikuar")
    for comment in (on_row, whole):
        comments.comment_publish(comment=comment, public_text=comment.text, user=officers["skn"])
    assert comments.published_comments(period) == [whole, on_row]
    assert hidden not in comments.published_comments(period)
    assert comments.counts(period) == {"received": 1, "published": 2, "rejected": 0, "answered": 0}


def test_the_council_page_lists_open_periods(period, elbasan):
    assert comments.open_periods(elbasan) == [period]
    assert comments.open_periods(elbasan, timezone.now() + timedelta(days=30)) == []


def test_the_citizens_emails_go_after_the_retention_period(period, officers, settings):
    settings.CONCERN_RETENTION_MONTHS = 12
    comment = comments.comment_submit(period=period, text="Koment", contact_email="a@example.al")
    comments.comment_publish(comment=comment, public_text="Koment", user=officers["skn"])
    comments.comment_answer(comment=comment, answer="taken_up", reason="Po.", user=officers["skn"])
    assert OutboxMessage.objects.filter(email="a@example.al").count() == 2
    assert comments.contacts_purge(as_of=period.closes_on + timedelta(days=300)) == 0
    assert comments.contacts_purge(as_of=period.closes_on + timedelta(days=400)) == 1
    assert not PlanCommentContact.objects.exists()
    assert not OutboxMessage.objects.filter(email="a@example.al").exists()
    assert comments.contacts_purge(as_of=period.closes_on + timedelta(days=400)) == 0
    comment.refresh_from_db()
    assert comment.public_text == "Koment" and comment.answer == "taken_up"
