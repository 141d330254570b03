"""What public comment on a plan puts in "waiting for you" (plans/comment_waiting.py): comments to
moderate for the technical secretary and the SKN, published comments without an answer for the SKN
alone; the others see nothing, and a handled comment leaves the list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plans import comments
from tests.waiting.test_plans_and_reports import EVERYONE, kinds, who_sees

pytestmark = pytest.mark.django_db


def test_comments_wait_for_moderation_then_for_the_skns_answer(seat, make):
    elbasan = seat("elbasan")
    version = make.version(elbasan, timezone.localdate().year + 1, status="submitted")
    period = comments.period_open(
        version=version, closes_on=timezone.localdate() + timedelta(days=10), user=elbasan["skn"]
    )
    comment = comments.comment_submit(period=period, text="Më shumë ndriçim.")
    comments.comment_submit(period=period, text="Më shumë patrulla.")
    moderators = who_sees(elbasan, "plan_comments_to_moderate")
    assert moderators and moderators <= {"secretary", "skn", "skn2"} and "secretary" in moderators
    item = kinds(elbasan["secretary"], "plan_comments_to_moderate")[0]
    assert item.url == f"/app/elbasan/plans/{version.plan.year}/v1/comments/"
    assert "2" in item.text
    assert who_sees(elbasan, "plan_comments_to_answer") == set()

    comments.comment_publish(comment=comment, public_text=comment.text, user=elbasan["secretary"])
    answering = who_sees(elbasan, "plan_comments_to_answer")
    assert answering and answering <= {"skn", "skn2"}
    comments.comment_answer(comment=comment, answer="taken_up", reason="U shtua.", user=elbasan["skn"])
    assert who_sees(elbasan, "plan_comments_to_answer") == set()
    assert set(EVERYONE) - moderators >= {"chair", "member", "guest"}
