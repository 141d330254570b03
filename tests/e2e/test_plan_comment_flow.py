"""In Chromium, on a 360-px phone, in Albanian (issue 23 item 2): the SKN opens the submitted plan for
public comment; a citizen finds the notice on the council's page, reads the draft (marked as a draft
under public comment), comments on one of its rows, and follows the comment with the code. The
secretary publishes it redacted and the SKN answers on the staff page; the chair returns the
version, the row is edited as the comment asked, the version is submitted again and approved at a
held meeting. The citizen then sees the SKN's answer and the changed row on "what changed after
public comment", linked from the approved plan. Every page visited is audited and no public page
scrolls sideways. (A comment sent after the period closed: tests/portal/test_plan_comments.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans import approval, comments, services
from plans.comment_models import PlanComment
from tests.builders import approve_plan, comment_period_over, fill_version
from tests.fixtures.browser import log_in, sq
from tests.fixtures.plan_files import people  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
TYPED = "Te rreshti i drogës mungon ndriçimi i parkut pranë shkollës. E di që shet Artan Gjoni."
PUBLISHED = "Te rreshti i drogës mungon ndriçimi i parkut pranë shkollës."
ANSWER = "U shtua aktiviteti: ndriçimi i parkut nga Bashkia deri në qershor."


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _seen(page, audit):
    _no_sideways_scroll(page)
    audit(page)


def test_a_citizen_comments_on_a_row_and_sees_the_answer_and_the_change(
    page,
    live_server,
    audit,
    reference_data,
    people,  # noqa: F811
):
    version = services.plan_start(council=people["council"], year=2026)
    fill_version(version, people, problems=2, activities=1)
    version = approval.version_submit(version=version, user=people["secretary"])
    period = comments.period_open(
        version=version, closes_on=timezone.localdate() + timedelta(days=14), user=people["skn"]
    )
    row = period.snapshot[0]

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/elbasan/")
    page.get_by_role("link", name=sq("Read the draft and comment")).click()
    expect(page.locator("main .alert-warning")).to_contain_text(sq("Draft under public comment."))
    expect(page.locator(f"#row-{row['lineage']}")).to_contain_text(row["title"])
    _seen(page, audit)

    # Comment on the row: nothing typed is lost when the text is missing.
    page.locator(f"#row-{row['lineage']}").get_by_role("link").click()
    form = page.locator("#comment-form")
    expect(form.locator("select[name=row]")).to_have_value(row["lineage"])
    form.locator("input[name=contact_email]").fill("drita@shembull.example.al")
    form.get_by_role("button", name=sq("Send the comment")).click()
    expect(page.locator("#comment-form .invalid-feedback").first).to_be_visible()
    expect(page.locator("#comment-form input[name=contact_email]")).to_have_value("drita@shembull.example.al")
    _seen(page, audit)
    page.locator("#comment-form textarea[name=text]").fill(TYPED)
    page.locator("#comment-form").get_by_role("button", name=sq("Send the comment")).click()
    comment = PlanComment.objects.get()
    expect(page.locator("h1")).to_contain_text(comment.code)
    expect(page.locator("main")).to_contain_text(
        sq("Received: a moderator will read it before it is published.")
    )
    _seen(page, audit)

    # Moderated by the secretary (the name removed); the SKN answers on the staff page, signed in
    # in a browser of their own.
    comments.comment_publish(comment=comment, public_text=PUBLISHED, user=people["secretary"])
    staff = page.context.browser.new_context(locale="sq-AL")
    try:
        skn = staff.new_page()
        log_in(skn, live_server, people["skn"].email, "correct-horse-battery-9")
        skn.goto(live_server.url + "/app/elbasan/plans/2026/v1/comments/")
        audit(skn)
        skn.get_by_role("link", name=comment.code).click()
        expect(skn.locator("main")).to_contain_text(TYPED)  # the moderators see what was written
        audit(skn)
        answer = skn.locator("main form", has=skn.locator("input[value=answer]"))
        answer.locator("input[name=answer][value=taken_up]").check()
        answer.locator("textarea[name=reason]").fill(ANSWER)
        answer.get_by_role("button", name=sq("Save the answer")).click()
        expect(skn.locator("h1")).to_contain_text(sq("Public comments"))
        audit(skn)
    finally:
        staff.close()
    comment.refresh_from_db()
    assert (comment.answer, comment.answer_reason) == ("taken_up", ANSWER)

    # Following the comment with the code, typed the way people type it.
    page.goto(live_server.url + "/elbasan/plan/comments/")
    page.locator("main input[name=code]").fill(comment.code.lower().replace("-", " "))
    page.get_by_role("button", name=sq("Follow")).click()
    expect(page.locator("main")).to_contain_text(PUBLISHED)
    expect(page.locator("main")).to_contain_text(ANSWER)
    assert "Artan Gjoni" not in page.content()
    _seen(page, audit)

    # The chair returns the version, the row is edited as the comment asked, submitted, approved.
    approval.version_return(version=version, comment="Merrni parasysh komentet publike.")
    first = version.problems.get(lineage=row["lineage"])
    services.problem_update(problem=first, title="Droga dhe ndriçimi pranë shkollave")
    services.activity_add(
        problem=first,
        text="Ndriçimi i parkut pranë shkollës",
        lead=people["municipality"],
        deadline_kind="all_year",
    )
    comment_period_over(period)  # the days of the period go by
    approve_plan(version, people)

    # The approved plan links to what changed after public comment; no more comments are taken.
    page.goto(live_server.url + "/elbasan/plan/2026/v1/")
    page.get_by_role("link", name=sq("What changed after public comment")).click()
    expect(page.locator("h1")).to_contain_text(sq("What changed after public comment"))
    changed = page.locator(f"#changed-{row['lineage']}")
    expect(changed).to_contain_text("Droga dhe ndriçimi pranë shkollave")
    expect(changed).to_contain_text("Ndriçimi i parkut pranë shkollës")
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("#comment-form")).to_have_count(0)
    _seen(page, audit)
