""" "Waiting for you" at the top of /app/ and its count in the top bar (councils/waiting.py): the
items of every council grouped by council, each with its link and how long it has waited; an
empty state; the count cached per person and day under the public generation, renewed by a step
done; and a fixed number of queries whatever the number of councils and items."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from councils.meetings.models import Minutes
from councils.models import Council, Role
from councils.waiting import Waiting, by_council, waiting_count, waiting_for
from monitoring.models import MonthlyReport
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

SIX = ("elbasan", "belsh", "librazhd", "cerrik", "peqin", "gramsh")


def test_nothing_waits(client):
    user = UserFactory(language="en")
    client.force_login(user)
    page = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'id="waiting"' in html and "Waiting for you" in html
    assert "Nothing waits for you." in html
    assert page.context["waiting"] == []
    assert page.context["waiting_count"] == 0


def test_the_list_names_the_council_links_and_says_how_long(client, seat, make):
    elbasan, belsh = seat("elbasan"), seat("belsh")
    prosecutor = UserFactory(language="en", full_name="Besa Kola")
    seat("librazhd", skn=prosecutor)
    minutes = make.minutes(elbasan, status=Minutes.Status.SUBMITTED, kind="skn")
    Minutes.objects.filter(pk=minutes.pk).update(submitted_at=timezone.now() - timedelta(days=3, hours=1))
    give_role(elbasan["council"], Role.SKN_PROSECUTION, user=prosecutor, institution=elbasan["prosecution"])
    give_role(belsh["council"], Role.SKN_PROSECUTION, user=prosecutor, institution=belsh["prosecution"])
    consultation_services.concern_submit(council=belsh["council"], text="Drogë", category="hotspots")

    client.force_login(prosecutor)
    page = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    groups = page.context["waiting"]
    # The council with the oldest item first.
    assert [council.slug for council, _items in groups] == ["elbasan", "belsh"]
    assert "Council of Elbasan" in html and "Council of Belsh" in html
    assert f'href="/app/elbasan/meetings/{minutes.meeting_id}/minutes/approve/"' in html
    assert 'href="/app/belsh/concerns/"' in html
    assert "waiting for 3\xa0days" in html
    assert "just now" in html  # the concern was sent a moment ago
    assert page.context["waiting_count"] == 2
    assert 'href="/app/#waiting"' in html


def test_a_meeting_ahead_says_when(client, seat, make):
    elbasan = seat("elbasan")
    make.meeting(elbasan, days=2)
    client.force_login(elbasan["secretary"])
    html = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "in 1\xa0day" in html or "in 2\xa0days" in html


def test_items_are_sorted_oldest_first_and_grouped_by_council():
    older, newer = Council.objects.select_related("municipality").order_by("pk")[:2]
    now = timezone.now()
    items = [
        Waiting(council=newer, kind="b", text="b", url="/b/", since=now - timedelta(days=1)),
        Waiting(council=older, kind="a", text="a", url="/a/", since=(now - timedelta(days=5)).date()),
        Waiting(council=newer, kind="c", text="c", url="/c/", since=now - timedelta(days=9)),
    ]
    ordered = sorted(items, key=lambda item: item.since_at)
    assert [item.kind for item in ordered] == ["c", "a", "b"]
    assert [(council, [i.kind for i in group]) for council, group in by_council(ordered)] == [
        (newer, ["c", "b"]),
        (older, ["a"]),
    ]


def test_the_navbar_count_is_cached_and_renewed_by_a_step_done(client, seat, make):
    elbasan = seat("elbasan")
    meeting = make.agenda_sent(elbasan)
    skn = elbasan["skn"]
    assert waiting_count(skn) == 2  # the agenda, and the meeting of the coming week
    client.force_login(skn)
    page = client.get("/app/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert str(page.context["waiting_count"]) == "2"
    assert 'href="/app/#waiting"' in html and "things wait for you" in html

    # Cached: a second page computes nothing.
    with CaptureQueriesContext(connection) as cached:
        client.get("/app/notifications/")
    with CaptureQueriesContext(connection) as without:
        client.get("/app/notifications/")
    assert len(cached) == len(without)
    assert not [q for q in cached.captured_queries if "meetings_meeting" in q["sql"]]

    # The SKN agrees: the service moves the public generation on, and the count follows.
    meeting_services.agenda_agree(meeting=meeting, user=skn)
    assert client.get("/app/notifications/").context["waiting_count"] == 1


def test_the_list_is_cached_in_the_reader_s_language_and_renewed_by_a_step_done(client, seat, make):
    elbasan = seat("elbasan")
    meeting = make.agenda_sent(elbasan)
    skn = elbasan["skn"]
    client.force_login(skn)

    def kinds(page):
        return [item.kind for _council, items in page.context["waiting"] for item in items]

    with CaptureQueriesContext(connection) as computed:
        first = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")
    assert sorted(kinds(first)) == ["agenda_to_agree", "meeting_ahead"]
    # Kept: the next visit reads none of the sources' tables, and shows the same.
    with CaptureQueriesContext(connection) as again:
        second = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")
    assert kinds(second) == kinds(first)
    assert [item.text for _c, items in second.context["waiting"] for item in items] == [
        item.text for _c, items in first.context["waiting"] for item in items
    ]
    assert not [q for q in again.captured_queries if "meetings_meeting" in q["sql"]]
    assert len(again) < len(computed)
    # Per language: an Albanian visit gets Albanian sentences, not the cached English ones.
    english = {item.kind: item.text for _c, items in first.context["waiting"] for item in items}
    albanian = client.get("/app/", HTTP_ACCEPT_LANGUAGE="sq")
    assert "Në pritje të veprimit tuaj" in albanian.content.decode()
    for _council, items in albanian.context["waiting"]:
        assert all(item.text != english[item.kind] for item in items)

    # The SKN agrees the agenda (a service: the public generation moves on): gone at once.
    meeting_services.agenda_agree(meeting=meeting, user=skn)
    after = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")
    assert kinds(after) == ["meeting_ahead"]
    assert str(after.context["waiting_count"]) == "1"


def test_anonymous_pages_compute_nothing(client):
    page = client.get("/")
    assert "waiting_count" not in page.context


# --- the number of queries does not grow with councils or items --------------------------------


def _busy(seat, make, slugs) -> object:
    """A person who chairs and sits in the SKN of each council, with something of every source
    waiting there (two of some)."""
    person = UserFactory(language="en")
    year = timezone.localdate().year
    for slug in slugs:
        people = seat(slug, chair=person, skn=person)
        Council.objects.filter(pk=people["council"].pk).update(members_update_own_activities=True)
        make.agenda_sent(people)
        make.agenda_sent(people, days=4)
        make.minutes(people, status=Minutes.Status.SUBMITTED)
        make.minutes(people, status=Minutes.Status.SUBMITTED, kind="skn", author=people["secretary"])
        make.invitation(people, person)
        consultation_services.concern_submit(council=people["council"], text="Drogë", category="hotspots")
        make.consultation_sent(people)
        make.version(people, year, status="approved")
        make.version(people, year + 1, status="submitted")
        make.version(people, year + 2, returned="Shtoni treguesit.")
        make.report(people, 1, status=MonthlyReport.Status.SUBMITTED)
        make.report(people, 2, status=MonthlyReport.Status.RETURNED)
    return person


def _queries(client, user) -> tuple[int, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/app/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return len(queries), int(str(page.context["waiting_count"]))


KINDS = {
    "agenda_to_agree",
    "minutes_to_approve",
    "invitation_to_answer",
    "meeting_ahead",
    "concerns_to_moderate",
    "consultation_agenda",
    "plan_to_approve",
    "plan_returned",
    "report_to_approve",
    "report_returned",
    "updates_due",
}


def test_the_list_reads_the_same_number_of_queries_for_one_council_and_for_six(client, seat, make):
    one = _busy(seat, make, SIX[:1])
    six = _busy(seat, make, (*SIX[1:], "prrenjas"))
    assert {item.kind for item in waiting_for(one)} == KINDS
    assert {item.kind for item in waiting_for(six)} == KINDS
    queries_one, count_one = _queries(client, one)
    queries_six, count_six = _queries(client, six)
    assert count_six == 6 * count_one
    assert queries_one == queries_six, (queries_one, queries_six)


@pytest.mark.parametrize("role", ["kryetari", "sekretari", "skn", "vezhguesi"])
def test_each_officers_guide_explains_the_list_in_both_languages(client, role):
    albanian = client.get(f"/help/{role}/").content.decode()
    assert "Në pritje të veprimit tuaj" in albanian and "i trajtuar" in albanian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/help/{role}/").content.decode()
    assert "Waiting for you" in english and "handled" in english
