"""Public comment on a plan, in the browser's requests (kvsp/portal/comment_views.py,
plans/comment_views.py): the draft under comment at its public address, marked as a draft; a
comment on a row with the concern form's protections (the trap field, the per-address limit); a
comment after the period closed comes back with the reason and everything typed kept; the code's
page; the staff moderate and answer; the council's page and feed announce the period; the approved
plan links to "what changed after public comment"; the public pages' queries stay constant."""

from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from plans import approval, comments
from plans.comment_models import PlanComment
from plans.models import PlanVersion
from tests.builders import YEAR, approve, comment_period_over
from tests.fixtures.plans import draft, elbasan, meeting, officers  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = f"/elbasan/plan/{YEAR}/v1/comment/"


@pytest.fixture(autouse=True)
def _english(settings):
    with translation.override("en"):
        yield


@pytest.fixture
def period(draft, officers, meeting):  # noqa: F811
    version = approval.version_submit(version=draft, user=officers["skn"])
    PlanVersion.objects.filter(pk=version.pk).update(submitted_at=meeting.starts_at - timedelta(hours=1))
    version.refresh_from_db()
    return comments.period_open(
        version=version, closes_on=timezone.localdate() + timedelta(days=14), user=officers["skn"]
    )


def _get(client, path):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en")


def test_a_version_never_opened_for_comment_is_not_found(draft, client):  # noqa: F811
    assert _get(client, PAGE).status_code == 404


def test_the_draft_under_comment_is_public_and_marked(period, client):
    page = _get(client, PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Draft under public comment." in body
    assert "Problemi 1" in body and "Orë edukative 1" in body
    assert f"?row={period.snapshot[0]['lineage']}#comment-form" in body


def test_a_citizen_comments_on_a_row_and_follows_it(period, client, officers):  # noqa: F811
    lineage = period.snapshot[1]["lineage"]
    form = _get(client, f"{PAGE}?row={lineage}").context["form"]
    assert form.initial == {"row": lineage}
    sent = client.post(PAGE, {"row": lineage, "text": "Shtoni ndriçim.", "contact_email": ""})
    comment = PlanComment.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/elbasan/plan/comments/{comment.code}/"
    assert str(comment.row_lineage) == lineage
    status = _get(client, sent["Location"]).content.decode()
    assert "a moderator will read it" in status and "Shtoni ndriçim." not in status
    found = _get(client, f"/elbasan/plan/comments/?code={comment.code.lower().replace('-', '')}")
    assert found.status_code == 302 and found["Location"] == f"/elbasan/plan/comments/{comment.code}/"
    # The council page's "follow your concern" box finds a comment's code too.
    via_concerns = _get(client, f"/elbasan/concerns/?code={comment.code}")
    assert via_concerns.status_code == 302 and via_concerns["Location"] == found["Location"]
    missing = _get(client, "/elbasan/plan/comments/?code=2222-2222")
    assert missing.status_code == 200 and "No comment on this council" in missing.content.decode()
    comments.comment_publish(
        comment=comment, public_text="Shtoni ndriçim te parku.", user=officers["secretary"]
    )
    comments.comment_answer(
        comment=comment, answer="taken_up", reason="U shtua aktiviteti.", user=officers["skn"]
    )
    status = _get(client, sent["Location"]).content.decode()
    assert "Shtoni ndriçim te parku." in status and "Taken up." in status and "U shtua aktiviteti." in status
    assert "U shtua aktiviteti." in _get(client, PAGE).content.decode()


def test_the_trap_field_refuses_robots(period, client):
    refused = client.post(PAGE, {"text": "Spam", "website": "http://spam.example"})
    assert refused.status_code == 200 and not PlanComment.objects.exists()


def test_posts_are_limited_per_address(period, client, settings):
    settings.CONCERN_RATE_LIMIT = 1
    client.post(PAGE, {"text": "Një"})
    assert client.post(PAGE, {"text": "Dy"}).status_code == 429
    assert PlanComment.objects.count() == 1


def test_a_comment_after_the_period_closed_is_refused_with_everything_kept(period, client):
    with time_machine.travel(timezone.now() + timedelta(days=16)):
        page = _get(client, PAGE)
        assert page.status_code == 200 and page.context["form"] is None
        assert "closed on" in page.content.decode()
        sent = client.post(
            PAGE, {"text": "Vonë por me rëndësi", "contact_email": "a@example.al"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert sent.status_code == 200
    body = sent.content.decode()
    assert "closed on" in body and "Vonë por me rëndësi" in body and "a@example.al" in body
    assert not PlanComment.objects.exists()


def test_staff_open_moderate_and_answer(draft, officers, meeting, client):  # noqa: F811
    version = approval.version_submit(version=draft, user=officers["skn"])
    base = f"/app/elbasan/plans/{YEAR}/v1/"
    client.force_login(officers["skn"])
    assert "Open for public comment" in _get(client, base).content.decode()
    refused = client.post(base + "comment-period/", {"closes_on": "2000-01-01"})
    assert refused.status_code == 200 and refused.context["form"].errors["closes_on"]
    day = timezone.localdate() + timedelta(days=10)
    assert client.post(base + "comment-period/", {"closes_on": day.isoformat()}).status_code == 302
    period = version.comment_period
    comment = comments.comment_submit(period=period, text="Agim X shet drogë.")
    listed = _get(client, base + "comments/").content.decode()
    assert comment.code in listed
    detail = base + f"comments/{comment.pk}/"
    assert "Agim X shet drogë." in _get(client, detail).content.decode()
    bad = client.post(detail, {"action": "publish", "public_text": " "})
    assert bad.status_code == 200
    assert client.post(detail, {"action": "publish", "public_text": "[emri] shet drogë."}).status_code == 302
    kept = client.post(detail, {"action": "answer", "answer": "", "reason": "Arsyeja ime"})
    assert kept.status_code == 200 and "Arsyeja ime" in kept.content.decode()
    assert (
        client.post(
            detail, {"action": "answer", "answer": "not_taken_up", "reason": "Jashtë planit."}
        ).status_code
        == 302
    )
    comment.refresh_from_db()
    assert (comment.status, comment.redacted, comment.answer) == ("published", True, "not_taken_up")
    # The secretary moderates but does not answer.
    client.force_login(officers["secretary"])
    assert client.post(detail, {"action": "answer", "answer": "taken_up", "reason": "x"}).status_code == 403


def test_the_council_page_and_feed_announce_the_period(period, client, no_page_cache):
    body = _get(client, "/elbasan/").content.decode()
    assert "open for public comment" in body and PAGE in body
    feed = feedparser.parse(_get(client, "/elbasan/feed.atom").content)
    entry = next(e for e in feed.entries if "public comment" in e.title)
    assert entry.link.endswith(PAGE)


def test_the_approved_plan_shows_what_changed_after_public_comment(period, officers, meeting, client):  # noqa: F811
    comment = comments.comment_submit(
        period=period, text="Hiqni rreshtin 1.2.", row=period.snapshot[1]["lineage"]
    )
    comments.comment_publish(comment=comment, public_text=comment.text, user=officers["skn"])
    comments.comment_answer(comment=comment, answer="taken_up", reason="U hoq.", user=officers["skn"])
    version = period.version
    approval.version_return(version=version, comment="Komentet")
    from plans import services

    services.problem_remove(problem=version.problems.get(number="1.2"))
    comment_period_over(period)
    approve(version, officers, meeting)
    plan_page = _get(client, f"/elbasan/plan/{YEAR}/v1/").content.decode()
    assert "What changed after public comment" in plan_page and PAGE in plan_page
    page = _get(client, PAGE).content.decode()
    assert "What changed after public comment" in page and "removed" in page and "Problemi 2" in page
    assert "U hoq." in page and "Draft under public comment." not in page


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(path, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    return len(captured)


def test_the_public_pages_cost_the_same_queries_for_few_or_many_comments(
    period,
    officers,  # noqa: F811
    django_assert_max_num_queries,
):
    def add(n):
        for i in range(n):
            comment = comments.comment_submit(
                period=period, text=f"Koment {i}", row=period.snapshot[i % 2]["lineage"]
            )
            comments.comment_publish(comment=comment, public_text=comment.text, user=officers["skn"])
            comments.comment_answer(
                comment=comment, answer="partly", reason="Pjesërisht", user=officers["skn"]
            )
        return comment

    first = add(1)
    status = f"/elbasan/plan/comments/{first.code}/"
    few = {path: _queries(path) for path in (PAGE, status)}
    add(6)
    for path, count in few.items():
        with django_assert_max_num_queries(count):
            assert Client().get(path, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert few[PAGE] <= 10
