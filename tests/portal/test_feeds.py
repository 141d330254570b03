"""The Atom feeds (/<municipality>/feed.atom, /feed.atom) and the public calendar's open
consultations (/<municipality>/meetings.ics): read as a feed reader and a calendar program would
(feedparser, icalendar), they hold exactly the public items (DESIGN.md "Visibility"), each with an
id that never changes; they cost the same queries for one item or many; and a new publication shows
at the next request through the public page cache."""

# ruff: noqa: F811 (the fixture of tests/fixtures/plan_files.py, imported by name)

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from councils.meetings.models import Minutes
from monitoring import services as monitoring_services
from plans import services as plan_services
from tests.builders import announce_consultation, published_plan
from tests.factories import council
from tests.fixtures.plan_files import people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

YEAR = 2026


def _tag(name: str) -> str:
    from kvsp.portal.feed_items import tag_uri

    return tag_uri(name)


def _meeting(
    people, *, days: int, title: str, kind: str = "council", restricted: bool = False, the_council=None
):
    return meeting_services.meeting_create(
        council=the_council or people["council"],
        kind=kind,
        starts_at=timezone.now() + timedelta(days=days),
        place="Salla e Këshillit",
        title=title,
        restricted=restricted,
    )


def _consultation(the_council, *, place: str, title: str = "", days: int = 10, announce: bool = True):
    consultation = consultation_lifecycle.consultation_create(
        council=the_council, starts_at=timezone.now() + timedelta(days=days), place=place, title=title
    )
    return announce_consultation(consultation) if announce else consultation


def _report(people, month: int, *, publish: bool):
    report = monitoring_services.report_start(council=people["council"], year=YEAR, month=month)
    report = monitoring_services.report_update(
        report=report, summary=f"U zhvilluan 4 seanca informuese ({month}).", difficulties="", proposals=""
    )
    report = monitoring_services.report_submit(report=report, user=people["skn"])
    report = monitoring_services.report_approve(report=report, user=people["chair"])
    return monitoring_services.report_publish(report=report) if publish else report


def _held(meeting):
    return meeting_services.attendance_record(meeting=meeting, entries=[])


def _approved_minutes(meeting, people):
    minutes = meeting_services.minutes_save(
        meeting=meeting, body="Procesverbali i mbledhjes.", author=people["secretary"], version=None
    )
    minutes = meeting_services.minutes_submit(minutes=minutes, user=people["secretary"])
    return meeting_services.minutes_approve(minutes=minutes, user=people["chair"])


@pytest.fixture
def world(people):
    """Elbasan with one public item of each kind and one private item of each kind; Belsh with an
    announced consultation of its own."""
    published = published_plan(people, year=YEAR, problems=1, activities=1)
    draft = plan_services.version_revise(version=published, note="Rishikimi pas konsultimit")
    held = published.meeting  # the council meeting that approved the plan, held yesterday
    minutes = Minutes.objects.get(meeting=held)  # approved with the decision
    assert minutes.is_approved
    held_approved = _held(_meeting(people, days=-3, title="Mbledhja e dimrit"))
    more_minutes = _approved_minutes(held_approved, people)
    held_draft = _held(_meeting(people, days=-2, title="Mbledhja me procesverbal në hartim"))
    draft_minutes = meeting_services.minutes_save(
        meeting=held_draft, body="Draft.", author=people["secretary"], version=None
    )
    upcoming = _meeting(people, days=7, title="Mbledhja e radhës e këshillit")
    restricted = _meeting(people, days=8, title="Mbledhje e kufizuar për rastet", restricted=True)
    skn = _meeting(people, days=9, title="Mbledhja mujore e SKN-së", kind="skn")
    announced = _consultation(
        people["council"], place="Shtëpia e Kulturës, Shushicë", title="Konsultimi i pranverës"
    )
    cancelled = consultation_lifecycle.consultation_cancel(
        consultation=_consultation(people["council"], place="Fshati Gjinar", days=12), reason="Moti i keq"
    )
    in_preparation = _consultation(people["council"], place="Shkolla e Papërit", announce=False)
    concern = consultation_services.concern_submit(
        council=people["council"],
        consultation=announced,
        text="Ndriçimi i rrugës së shkollës mungon prej muajsh",
        category="other",
        contact_name="Drita Shehu",
        contact_email="drita.shehu@example.al",
    )
    report = _report(people, 1, publish=True)
    unpublished = _report(people, 2, publish=False)
    belsh = council("belsh")
    belsh_consultation = _consultation(belsh, place="Qendra Rinore, Belsh")
    return {
        "public": {
            _tag(f"plan-version-{published.pk}"),
            _tag(f"meeting-{held.pk}"),
            _tag(f"minutes-{minutes.pk}"),
            _tag(f"meeting-{held_approved.pk}"),
            _tag(f"minutes-{more_minutes.pk}"),
            _tag(f"meeting-{held_draft.pk}"),
            _tag(f"meeting-{upcoming.pk}"),
            _tag(f"consultation-{announced.pk}"),
            _tag(f"consultation-{cancelled.pk}"),
            _tag(f"report-{report.pk}"),
        },
        "private": {
            _tag(f"plan-version-{draft.pk}"),
            _tag(f"minutes-{draft_minutes.pk}"),
            _tag(f"meeting-{restricted.pk}"),
            _tag(f"meeting-{skn.pk}"),
            _tag(f"consultation-{in_preparation.pk}"),
            _tag(f"report-{unpublished.pk}"),
        },
        "belsh": {_tag(f"consultation-{belsh_consultation.pk}")},
        "people": people,
        "published": published,
        "announced": announced,
        "cancelled": cancelled,
        "in_preparation": in_preparation,
        "concern": concern,
        "restricted": restricted,
        "skn": skn,
    }


def _feed(path: str, **headers):
    response = Client().get(path, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return response, parsed


def test_the_council_feed_holds_exactly_the_public_items(world):
    response, parsed = _feed("/elbasan/feed.atom")
    ids = {entry.id for entry in parsed.entries}
    assert ids == world["public"]
    # Assert each private item's absence by name (a draft plan version, draft minutes, a restricted
    # council meeting, an SKN meeting, a consultation in preparation, an approved report the chair
    # has not published), and nothing of another council.
    for private in world["private"] | world["belsh"]:
        assert private not in ids
    body = response.content.decode()
    for secret in (
        "Mbledhje e kufizuar për rastet",
        "Mbledhja mujore e SKN-së",
        "Shkolla e Papërit",
        "Rishikimi pas konsultimit",
        "Ndriçimi i rrugës",  # a concern (its original and its contact) never reaches a feed
        "drita.shehu@example.al",
        "Drita Shehu",
        "Qendra Rinore, Belsh",
    ):
        assert secret not in body
    assert parsed.feed.id == _tag("council-elbasan")
    assert parsed.feed.link == "http://testserver/elbasan/"
    for entry in parsed.entries:
        assert entry.title and entry.updated_parsed and entry.published_parsed
        assert entry.link.startswith("http://testserver/elbasan/")
    # newest first, by their last change
    updated = [entry.updated_parsed for entry in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    by_id = {entry.id: entry for entry in parsed.entries}
    published = world["published"]
    assert by_id[_tag(f"plan-version-{published.pk}")].link == (
        f"http://testserver/elbasan/plan/{YEAR}/v{published.number}/"
    )
    announced = by_id[_tag(f"consultation-{world['announced'].pk}")]
    assert "Shtëpia e Kulturës, Shushicë" in announced.title
    assert announced.link == f"http://testserver/elbasan/consultations/{world['announced'].pk}/"
    assert "Fshati Gjinar" in by_id[_tag(f"consultation-{world['cancelled'].pk}")].title


def test_the_national_feed_holds_every_councils_public_items_and_names_the_council(world):
    _response, parsed = _feed("/feed.atom")
    ids = {entry.id for entry in parsed.entries}
    assert ids == world["public"] | world["belsh"]
    assert not ids & world["private"]
    belsh = next(entry for entry in parsed.entries if entry.id in world["belsh"])
    assert belsh.title.startswith("Belsh: ")
    assert belsh.link.startswith("http://testserver/belsh/consultations/")
    assert all(entry.title.startswith(("Elbasan: ", "Belsh: ")) for entry in parsed.entries)
    assert parsed.feed.link == "http://testserver/"


def test_the_other_councils_feed_shows_only_its_own_items(world):
    _response, parsed = _feed("/belsh/feed.atom")
    assert {entry.id for entry in parsed.entries} == world["belsh"]


def test_the_feed_follows_the_public_pages_language(world):
    """Albanian by default, like every public page; the browser's language or the cookie choose."""
    sq = Client().get("/elbasan/feed.atom")
    en = Client().get("/elbasan/feed.atom", HTTP_ACCEPT_LANGUAGE="en")
    assert sq["Content-Language"] == "sq" and en["Content-Language"] == "en"
    assert feedparser.parse(sq.content).feed.language == "sq"
    english = feedparser.parse(en.content)
    assert english.feed.language == "en"
    assert english.feed.title == "KVSP Elbasan: what is new"
    assert {entry.id for entry in english.entries} == world["public"]  # the same ids in each language


def test_an_entry_keeps_its_id_when_it_changes_and_its_date_moves(world):
    _response, before = _feed("/elbasan/feed.atom")
    uid = _tag(f"consultation-{world['announced'].pk}")
    old = next(entry for entry in before.entries if entry.id == uid)
    consultation_lifecycle.consultation_cancel(consultation=world["announced"], reason="Salla u mbyll")
    _response, after = _feed("/elbasan/feed.atom")
    new = next(entry for entry in after.entries if entry.id == uid)
    assert new.updated_parsed >= old.updated_parsed and new.title != old.title
    assert after.entries[0].id == uid  # the newest change comes first


def test_an_unknown_council_has_no_feed(db):
    assert Client().get("/nowhere/feed.atom").status_code == 404
    assert Client().post("/elbasan/feed.atom").status_code == 405
    assert Client().post("/feed.atom").status_code == 405


# --- the public calendar ------------------------------------------------------------------------


def test_the_public_calendar_includes_the_public_open_consultations(world):
    response = Client().get("/elbasan/meetings.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    announced, cancelled = world["announced"], world["cancelled"]
    uid = f"consultation-{announced.pk}@"
    event = next(event for key, event in events.items() if key.startswith(uid))
    assert event.decoded("dtstart") == announced.starts_at.replace(microsecond=0)
    assert str(event["location"]) == "Shtëpia e Kulturës, Shushicë"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == f"http://testserver/elbasan/consultations/{announced.pk}/"
    off = next(event for key, event in events.items() if key.startswith(f"consultation-{cancelled.pk}@"))
    assert str(off["status"]) == "CANCELLED"
    assert not any(key.startswith(f"consultation-{world['in_preparation'].pk}@") for key in events)
    # the meetings stay: public ones in, restricted and SKN ones out
    assert not any(
        key.startswith((f"meeting-{world['restricted'].pk}@", f"meeting-{world['skn'].pk}@"))
        for key in events
    )
    assert any(key.startswith("meeting-") for key in events)
    # the same UID at every download
    again = Calendar.from_ical(Client().get("/elbasan/meetings.ics").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(events)


# --- query counts -------------------------------------------------------------------------------


def _items(people, n: int, *, first_month: int):
    """n more public items of each kind that grows: consultations, meetings, reports."""
    for i in range(n):
        _consultation(people["council"], place=f"Lagjja {first_month + i}", days=20 + i)
        _meeting(people, days=30 + i, title=f"Mbledhja {first_month + i}")
        _report(people, first_month + i, publish=True)


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(path).status_code == 200
    return len(captured)


@pytest.mark.usefixtures("no_page_cache")
def test_the_feeds_and_the_calendar_cost_the_same_queries_for_one_item_or_many(
    people, django_assert_max_num_queries
):
    published_plan(people, year=YEAR, problems=1, activities=1)
    _items(people, 1, first_month=1)
    few = {path: _queries(path) for path in ("/elbasan/feed.atom", "/feed.atom", "/elbasan/meetings.ics")}
    _items(people, 4, first_month=2)
    for path, count in few.items():
        with django_assert_max_num_queries(count):
            assert Client().get(path).status_code == 200
    assert few["/elbasan/feed.atom"] <= 12


# --- the public page cache ----------------------------------------------------------------------


def test_the_feed_is_served_from_the_public_cache_and_a_new_publication_shows(world):
    people = world["people"]
    Client().get("/elbasan/feed.atom")
    assert _queries("/elbasan/feed.atom") == 0
    Client().get("/feed.atom")
    assert _queries("/feed.atom") == 0
    report = _report(people, 3, publish=True)
    for path in ("/elbasan/feed.atom", "/feed.atom"):
        _response, parsed = _feed(path)
        assert _tag(f"report-{report.pk}") in {entry.id for entry in parsed.entries}


# --- where the feeds are announced ----------------------------------------------------------------


def test_the_council_page_and_the_home_page_point_at_their_feeds(db):
    council_page = Client().get("/elbasan/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/elbasan/feed.atom"' in council_page
    assert 'href="/elbasan/feed.atom" type="application/atom+xml">' in council_page  # the visible link
    home = Client().get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/feed.atom"' in home
    assert 'href="/feed.atom" type="application/atom+xml">' in home
