"""The demo's public comment (plans/demo_comments.py): Elbasan's plan for 2022, version 2, was open
for comment in January 2022; its approved page leads to "what changed after public comment", with
the published comments, the SKN's answers and the rows 1.5 and 1.7 that changed."""

import pytest
from django.core.management import call_command

from plans import comments
from plans.comment_models import CommentPeriod, PlanComment


@pytest.mark.django_db(transaction=True)
def test_the_demo_shows_what_changed_after_public_comment(client, reference_data):
    call_command("load_demo", verbosity=0)
    period = CommentPeriod.objects.get(version__plan__council__municipality__slug="elbasan")
    version = period.version
    assert (version.plan.year, version.number, version.status) == (2022, 2, "approved")
    assert period.closes_on.isoformat() == "2022-01-31"
    found = list(period.comments.all())
    assert len(found) == 5
    published = [c for c in found if c.status == PlanComment.Status.PUBLISHED]
    assert len(published) == 4 and all(c.answer for c in published)
    assert all("Mirela Hoxha" not in c.public_text for c in published)
    changed = {change.number: change.kind for change in comments.what_changed(period)}
    assert changed == {"1.5": "changed", "1.7": "changed"}
    page = client.get("/elbasan/plan/2022/v2/comment/", HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "Prioriteti i rreshtit 1.7 u ngrit" in page and "Fqinji im" not in page
    assert "/elbasan/plan/2022/v2/comment/" in client.get("/elbasan/plan/2022/v2/").content.decode()
