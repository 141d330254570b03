"""The compliance pages: the council's record and calendar on its working pages, its public
comment, the public national overview (filters, sorting, county view, CSV), the council's public
record, the fixed number of queries of the overview whatever the data, and its cache, which moves
on when a fact changes. Today is 15 July 2026 (tests/monitoring/conftest.py ``clock``)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from councils.meetings import services as meeting_services
from councils.models import Council
from kvsp.core import public_cache
from monitoring import compliance_data, services
from monitoring.compliance import State
from monitoring.models import ComplianceComment
from tests.factories import council

TIRANE = ZoneInfo("Europe/Tirane")


def _held(the_council, kind, when, people=()):
    """A held meeting of ``kind`` at ``when`` (attendance recorded marks it held)."""
    meeting = meeting_services.meeting_create(council=the_council, kind=kind, starts_at=when, place="Salla")
    return meeting_services.attendance_record(meeting=meeting, entries=list(people))


def _at(month, day, hour=10, year=2026):
    return datetime(year, month, day, hour, 0, tzinfo=TIRANE)


@pytest.fixture
def rhythm(elbasan, people):
    """Elbasan's 2026 so far: council meetings in March and July, SKN meetings January to June
    except April."""
    _held(elbasan, "council", _at(3, 5))
    _held(elbasan, "council", _at(7, 2))
    for month in (1, 2, 3, 5, 6):
        _held(elbasan, "skn", _at(month, 20))
    return elbasan


def test_the_record_page_shows_each_check_with_its_evidence(client, rhythm, people):
    client.force_login(people["member"])
    response = client.get("/app/elbasan/compliance/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    record = response.context["record"]
    assert record.check("council_meetings").state == "met"
    assert record.check("skn_meetings").state == "not_met"
    assert record.check("skn_meetings").figures["missed"] == [(2026, 4)]
    assert "None in: April." in text
    # The evidence links to the staff pages of the meetings.
    assert "/app/elbasan/meetings/" in text
    # The year's calendar: April's SKN meeting was not held; August is not scheduled yet.
    calendar = {row["code"]: row["cells"] for row in response.context["calendar"]}
    assert calendar["skn_meetings"][3].state == "missed"
    assert calendar["skn_meetings"][7].state == "open"


@pytest.mark.parametrize("year", ["abc", "1999", "3000", "", "2026.5"])
def test_a_year_that_is_no_year_shows_this_year(client, rhythm, people, year):
    client.force_login(people["member"])
    response = client.get("/app/elbasan/compliance/", {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == 2026


def test_the_working_page_shows_the_calendar(client, rhythm, people):
    client.force_login(people["skn_police"])
    response = client.get("/app/elbasan/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The regulation's calendar, 2026" in response.content.decode()
    assert "/app/elbasan/compliance/" in response.content.decode()


def test_the_comment_is_saved_shown_publicly_and_taken_down(client, rhythm, people):
    client.force_login(people["secretary"])
    response = client.post(
        "/app/elbasan/compliance/2026/comment/", {"text": "Mbledhja e prillit u shty.", "revision": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == "/app/elbasan/compliance/?year=2026"
    assert ComplianceComment.objects.get(council=rhythm, year=2026).author == people["secretary"]
    public = client.get("/elbasan/")
    assert "Mbledhja e prillit u shty." in public.content.decode()
    form = client.get("/app/elbasan/compliance/2026/comment/")
    revision = form.context["form"].initial["revision"]
    client.post("/app/elbasan/compliance/2026/comment/", {"text": "  ", "revision": revision})
    assert not ComplianceComment.objects.filter(council=rhythm, year=2026).exists()


def test_a_comment_too_long_comes_back_with_an_error_and_the_text(client, rhythm, people):
    client.force_login(people["chair"])
    text = "ë" * 501
    response = client.post("/app/elbasan/compliance/2026/comment/", {"text": text, "revision": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert text in response.content.decode()
    assert not ComplianceComment.objects.exists()


def test_a_comment_saved_meanwhile_is_a_conflict_and_nothing_is_lost(client, rhythm, people):
    client.force_login(people["chair"])
    services.compliance_comment_save(
        council=rhythm, year=2026, text="E sekretares.", user=people["secretary"], revision=""
    )
    response = client.post("/app/elbasan/compliance/2026/comment/", {"text": "E kryetarit.", "revision": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "E sekretares." in page and "E kryetarit." in page
    assert ComplianceComment.objects.get().text == "E sekretares."
    # Saving again (the form now carries the current revision) replaces it knowingly.
    again = client.post(
        "/app/elbasan/compliance/2026/comment/",
        {"text": "E kryetarit.", "revision": response.context["form"].data["revision"]},
    )
    assert again.status_code == 302
    assert ComplianceComment.objects.get().text == "E kryetarit."


def test_no_comment_on_a_year_that_has_not_begun(client, rhythm, people):
    client.force_login(people["chair"])
    assert client.get("/app/elbasan/compliance/2027/comment/").status_code == 404
    assert client.post("/app/elbasan/compliance/2027/comment/", {"text": "x"}).status_code == 404
    with translation.override("en"), pytest.raises(ValidationError, match="begun"):
        services.compliance_comment_save(council=rhythm, year=2027, text="x", user=people["chair"])


def test_the_overview_filters_by_county_and_by_check_and_sorts(client, rhythm):
    response = client.get("/compliance/", {"county": "elbasan", "check": "skn_meetings", "state": "not_met"})
    assert [line.council.slug for line in response.context["lines"]] == ["elbasan"]
    # The councils not yet established, with nothing measured, are folded into one line...
    folded = client.get("/compliance/", {"county": "elbasan"})
    assert [line.council.slug for line in folded.context["lines"]] == ["elbasan"]
    assert folded.context["folded"] == 6
    # ... which the switch opens.
    county = client.get("/compliance/", {"county": "elbasan", "all": "1"})
    assert county.context["folded"] == 0
    slugs = {line.council.slug for line in county.context["lines"]}
    assert slugs == set(
        Council.objects.filter(municipality__county__slug="elbasan").values_list(
            "municipality__slug", flat=True
        )
    )
    assert county.context["county"]["councils"] == len(slugs)
    everyone = client.get("/compliance/", {"sort": "score", "all": "1"})
    assert everyone.context["lines"][0].council.slug == "elbasan"  # the only one with a score
    assert len(everyone.context["lines"]) == 61
    # Unknown filters are ignored, never an error.
    odd = client.get("/compliance/", {"county": "nowhere", "check": "x", "state": "y", "sort": "z"})
    assert odd.status_code == 200 and odd.context["lines"] == []


def test_the_overview_links_to_working_records_for_the_observer_only(client, rhythm, django_user_model):
    public = client.get("/compliance/").content.decode()
    assert "/app/elbasan/compliance/" not in public
    assert "/elbasan/#compliance-heading" in public
    observer = django_user_model.objects.create_user(
        email="v@example.al", full_name="V", is_national_observer=True
    )
    client.force_login(observer)
    assert "/app/elbasan/compliance/?year=2026" in client.get("/compliance/").content.decode()


def test_the_csv_has_every_council_and_year_and_neutralises_formulas(client, rhythm, people):
    services.compliance_comment_save(
        council=rhythm, year=2026, text="=HYPERLINK(1)", user=people["chair"], revision=""
    )
    cache.clear()
    client.cookies["kvsp_language"] = "en"
    response = client.get("/compliance/compliance.csv")
    assert response["Content-Disposition"] == 'attachment; filename="perputhshmeria-2026.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 61 * 3
    # For people: the columns and the states by name, in the reader's language (never the codes).
    assert lines[0].startswith("Municipality,County,Status,Year,Council meetings,Monthly SKN meetings,")
    assert lines[0].endswith(",Score (%),Checks met,Checks due,Comment")
    elbasan = next(line for line in lines if line.startswith("Elbasan,Elbasan,") and ",2026," in line)
    assert elbasan.endswith(",'=HYPERLINK(1)")
    assert ",met,not met," in elbasan  # council meetings met, SKN meetings not met
    assert "not_met" not in response.content.decode("utf-8-sig")


def test_the_csv_is_in_albanian_by_default(client, rhythm):
    """Without a language chosen, the states are the Albanian catalogue's words."""
    cache.clear()
    text = client.get("/compliance/compliance.csv").content.decode("utf-8-sig")
    with translation.override("sq"):
        met, not_met = str(State.MET.label), str(State.NOT_MET.label)
        status = str(Council.Status(rhythm.status).label)
    assert not_met != "not met"  # the catalogue has it
    elbasan = next(
        line for line in text.splitlines() if line.startswith("Elbasan,Elbasan,") and ",2026," in line
    )
    assert f",{status},2026,{met},{not_met}," in elbasan
    assert "not_met" not in text and ",met," not in text


def test_the_methodology_speaks_both_languages(client, db):
    english = client.get("/compliance/methodology/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How compliance is measured" in english and "50%" in english
    with translation.override("sq"):
        albanian = client.get("/compliance/methodology/", HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "How compliance is measured" not in albanian


def test_the_overview_cache_moves_on_when_a_fact_changes(client, rhythm, django_capture_on_commit_callbacks):
    first = client.get("/compliance/", {"county": "elbasan", "sort": "score"}).context["lines"][0]
    assert first.record.check("skn_meetings").figures["missed"] == [(2026, 4)]
    with django_capture_on_commit_callbacks(execute=True):
        _held(rhythm, "skn", _at(4, 22))
    again = client.get("/compliance/", {"county": "elbasan", "sort": "score"}).context["lines"][0]
    assert again.record.check("skn_meetings").state == "met"


def test_the_overview_works_with_the_cache_down(client, rhythm, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    for name in ("get", "set", "get_or_set", "incr"):
        monkeypatch.setattr(cache, name, down)
    assert client.get("/compliance/").status_code == 200
    public_cache.bump()  # never raises


def _queries(year=2026) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        compliance_data.national_records(year)
    return len(captured.captured_queries)


def test_the_overview_reads_a_fixed_number_of_queries_whatever_the_data(rhythm, plan, monitored, people):
    few = _queries()
    # Much more data, in more councils and years: meetings, consultations.
    for slug in ("belsh", "librazhd", "tirane", "durres"):
        other = council(slug)
        for month in range(1, 7):
            _held(other, "skn", _at(month, 12))
            _held(other, "skn", _at(month, 12, year=2025))
        _held(other, "council", _at(2, 2))
    for month in range(1, 13):
        _held(rhythm, "skn", _at(month, 25, year=2025))
    assert _queries() == few


def test_the_public_pages_read_a_bounded_number_of_queries(
    client, rhythm, plan, monitored, django_assert_max_num_queries
):
    cache.clear()
    with django_assert_max_num_queries(20):
        assert client.get("/compliance/").status_code == 200
    with django_assert_max_num_queries(3):  # cached: the session and nothing of the records
        assert client.get("/compliance/").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get("/elbasan/").status_code == 200


def test_a_meeting_just_before_midnight_on_31_december_counts_in_its_year(client, elbasan, people):
    client.force_login(people["member"])
    late = datetime(2025, 12, 31, 23, 30, tzinfo=TIRANE)  # 22:30 UTC
    early = datetime(2026, 1, 1, 0, 30, tzinfo=TIRANE)  # still 31 December in UTC
    _held(elbasan, "council", late)
    _held(elbasan, "council", early)
    response = client.get("/app/elbasan/compliance/", {"year": "2025"})
    assert response.context["record"].check("council_meetings").figures["held"] == 1
    assert response.context["trend"][0].year == 2025
    this_year = client.get("/app/elbasan/compliance/")
    assert this_year.context["record"].check("council_meetings").figures["held"] == 1
    assert early - late == timedelta(hours=1)


def test_the_public_record_shows_no_date_of_an_skn_meeting(client, rhythm, people):
    page = client.get("/elbasan/").content.decode()
    record = page[page.index('id="compliance-heading"') :]
    assert 'id="check-skn_meetings"' in record
    skn_row = record[record.index('id="check-skn_meetings"') :]
    skn_row = skn_row[: skn_row.index("</tr>")]
    assert "20.01.2026" not in skn_row and "20/01/2026" not in skn_row
    # The council meetings are public: their dates link to their public pages.
    council_row = record[record.index('id="check-council_meetings"') :]
    assert "/elbasan/meetings/" in council_row[: council_row.index("</tr>")]


def test_anonymous_visitors_get_the_overview_from_the_cache_until_a_fact_changes(
    client, rhythm, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    first = client.get("/compliance/", {"county": "elbasan"})
    with django_assert_max_num_queries(0):
        cached = client.get("/compliance/", {"county": "elbasan"})
    assert cached.content == first.content
    # Another query or language is another page; a new fact moves the generation on.
    assert client.get("/compliance/", {"county": "berat"}).content != first.content
    with django_capture_on_commit_callbacks(execute=True):
        _held(rhythm, "skn", _at(4, 22))
    assert client.get("/compliance/", {"county": "elbasan"}).content != first.content


def test_a_page_with_a_message_waiting_is_not_kept_for_everyone(client, rhythm):
    client.cookies["messages"] = "a message for this visitor only"
    client.get("/compliance/")
    assert not [key for key in cache._cache if "compliance-page" in key]
    del client.cookies["messages"]
    client.get("/compliance/")
    assert [key for key in cache._cache if "compliance-page" in key]


@pytest.mark.django_db
def test_a_year_without_a_record_is_no_comment_page_for_anyone(client):
    """An address that exists for nobody answers 404 before sign-in or permissions are asked."""
    assert client.get("/app/elbasan/compliance/1990/comment/").status_code == 404
    assert client.get("/app/elbasan/compliance/2999/comment/").status_code == 404
