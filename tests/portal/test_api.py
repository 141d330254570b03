"""The read-only open-data API, /api/v1/: only published versions, no personal data, JSON only,
a fixed number of queries whatever the size, and a schema that describes every address."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from councils import services as council_services
from councils.meetings import services as meeting_services
from councils.models import Role
from kvsp.core import public_cache
from plans import approval
from plans import services as plan_services
from plans.models import PlanVersion
from tests.builders import approve_by_decision
from tests.factories import InstitutionFactory, UserFactory, council, give_role

API = "/api/v1"
ELBASAN = f"{API}/councils/elbasan"
CONTACTS = ("kryetari@elbasan.example.al", "+355 69 111 2222", "policia@elbasan.example.al", "Arben Kryetari")


@pytest.fixture
def elbasan(db):
    return council("elbasan")


@pytest.fixture
def chair(elbasan):
    person = UserFactory(full_name="Arben Kryetari", email="kryetari@elbasan.example.al")
    give_role(elbasan, Role.CHAIR, user=person)
    # Contacts on a person of the council: they must never reach the API.
    council_services.membership_add(
        council=elbasan,
        institution=elbasan.seats.first().institution,
        role=Role.MEMBER,
        full_name="Drita Policia",
        email="policia@elbasan.example.al",
        phone="+355 69 111 2222",
    )
    return person


@pytest.fixture
def institutions(elbasan, chair):
    police = InstitutionFactory(name="Komisariati i Policisë Elbasan", category="c")
    prosecution = InstitutionFactory(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d")
    for institution in (police, prosecution):
        council_services.seat_add(council=elbasan, institution=institution)
    return police, prosecution


@pytest.fixture
def meeting(elbasan):
    meeting = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() - timedelta(days=3),
        place="Salla e Këshillit",
    )
    return meeting_services.attendance_record(meeting=meeting, entries=[])


def _fill(version, institutions, problems: int, *, first: int = 1):
    """``problems`` rows of two activities each (the second with a partner and two indicators)."""
    police, prosecution = institutions
    for n in range(first, first + problems):
        row = plan_services.problem_add(
            version=version,
            number=f"1.{n}",
            title=f"Problemi {n}",
            priority="high",
            statistics="63 raste",
            statistics_source="Drejtoria Vendore e Policisë",
        )
        plan_services.activity_add(
            problem=row, text=f"Takime {n}", lead=police, deadline_kind="recurrence", deadline_every_months=2
        )
        activity = plan_services.activity_add(
            problem=row,
            text=f"Orë edukative {n}",
            lead=prosecution,
            partners=[police],
            deadline_kind="period",
            deadline_period="h1",
        )
        for name in ("Orë të zhvilluara", "Nxënës të përfshirë"):
            plan_services.indicator_add(
                activity=activity, name=name, unit="orë", baseline=0, target=12, frequency="quarterly"
            )


def _approve(version, chair, meeting, number="7"):
    return approve_by_decision(version, chair=chair, meeting=meeting, submitted_by=chair)


@pytest.fixture
def plan(elbasan, chair, institutions, meeting):
    """2022: v1 and v2 approved, v3 a draft; 2023: only a submitted version."""
    v1 = plan_services.plan_start(council=elbasan, year=2022)
    _fill(v1, institutions, 2)
    _approve(v1, chair, meeting, "3")
    v2 = plan_services.version_revise(version=v1, note="Përditësuar pas konsultimit")
    plan_services.problem_update(problem=v2.problems.get(number="1.2"), title="Problemi 2, i rishikuar")
    _approve(v2, chair, meeting, "9")
    v3 = plan_services.version_revise(version=v2)
    plan_services.problem_update(problem=v3.problems.get(number="1.1"), title="SEKRET I DRAFTIT")
    submitted = plan_services.plan_start(council=elbasan, year=2023)
    plan_services.problem_add(version=submitted, number="1.1", title="SEKRET I DORËZUAR", priority="low")
    plan_services.activity_add(
        problem=submitted.problems.get(),
        text="x",
        lead=institutions[0],
        deadline_kind="all_year",
    )
    approval.version_submit(version=submitted, user=chair)
    return {"v1": v1, "v2": v2, "v3": v3, "submitted": submitted}


# --- what is published, and only that ---------------------------------------------------------


def test_a_councils_plans_list_only_approved_versions(client, plan):
    body = client.get(f"{ELBASAN}/plans/").json()
    assert body["count"] == 1
    (year,) = body["results"]
    assert year["year"] == 2022 and year["latest_version"] == 2
    assert [v["number"] for v in year["versions"]] == [1, 2]
    assert year["url"] == f"http://testserver{ELBASAN}/plans/2022/"
    v1, v2 = year["versions"]
    assert v1["revises"] is None and v2["revises"] == 1
    assert v2["note"] == "Përditësuar pas konsultimit"
    approved_v2 = PlanVersion.objects.get(plan__year=2022, number=2)
    assert v2["decision"]["number"] == approved_v2.decision_number == str(approved_v2.decision)
    assert v2["decision"]["date"] == approved_v2.decision_date.isoformat()
    assert v2["decision"]["label"].endswith(str(approved_v2.decision))
    assert v2["decision"]["meeting"]["place"] == "Salla e Këshillit"
    assert v2["url"] == f"http://testserver{ELBASAN}/plans/2022/v2/"
    assert v2["web_url"] == "http://testserver/elbasan/plan/2022/v2/"


@pytest.mark.parametrize(
    "path",
    [
        "/plans/2022/v3/",  # the open draft of a published plan
        "/plans/2023/",  # a year with only a submitted version
        "/plans/2023/v1/",
        "/plans/2024/",
        "/plans/2022/v99/",
    ],
)
def test_drafts_and_submitted_versions_are_404_even_by_guessing(client, plan, path):
    response = client.get(ELBASAN + path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "SEKRET" not in response.text


def test_no_draft_text_anywhere(client, plan):
    for path in ("/", "/plans/", "/plans/2022/", "/plans/2022/v1/", "/plans/2022/v2/"):
        response = client.get(ELBASAN + path)
        assert response.status_code == 200, path
        assert "SEKRET" not in response.text, path


def test_the_year_address_is_the_newest_published_version(client, plan):
    newest = client.get(f"{ELBASAN}/plans/2022/").json()
    assert newest == client.get(f"{ELBASAN}/plans/2022/v2/").json()
    assert newest["number"] == 2
    assert [p["title"] for p in newest["problems"]] == ["Problemi 1", "Problemi 2, i rishikuar"]
    older = client.get(f"{ELBASAN}/plans/2022/v1/").json()
    assert [p["title"] for p in older["problems"]] == ["Problemi 1", "Problemi 2"]
    assert [v["number"] for v in older["versions"]] == [1, 2]


def test_another_councils_plan_is_not_found_under_this_council(client, plan):
    assert client.get(f"{API}/councils/belsh/plans/2022/").status_code == 404
    assert client.get(f"{API}/councils/belsh/plans/").json()["count"] == 0
    assert client.get(f"{API}/councils/no-such-town/").status_code == 404
    assert client.get(f"{API}/councils/no-such-town/plans/").status_code == 404


# --- the shape of a plan -----------------------------------------------------------------------


def test_shape_of_a_published_version(client, plan, elbasan):
    body = client.get(f"{ELBASAN}/plans/2022/v1/").json()
    v1 = plan["v1"]
    assert body["council"] == {"slug": "elbasan", "name": "Elbasan"}
    assert body["year"] == 2022 and body["number"] == 1 and body["revises"] is None
    decision = PlanVersion.objects.get(plan__year=2022, number=1).decision
    assert body["decision"]["number"] == f"{decision.number}/{decision.year}"
    assert body["decision"]["text"] == decision.text
    assert body["web_url"] == "http://testserver/elbasan/plan/2022/v1/"
    assert body["files"]["pdf"] == "http://testserver/elbasan/plan/2022/v1/plan.pdf"
    assert set(body["files"]) == {"pdf", "csv", "json", "docx"}
    # The links lead to the version's public page and files.
    assert client.get(body["web_url"]).status_code == 200
    assert client.get(body["files"]["json"]).json()["version"] == 1
    first = body["problems"][0]
    row = v1.problems.get(number="1.1")
    assert first == {
        "number": "1.1",
        "lineage": str(row.lineage),
        "title": "Problemi 1",
        "description": "",
        "statistics": "63 raste",
        "statistics_source": "Drejtoria Vendore e Policisë",
        "provenance": "",
        "priority": "high",
        # The row names no one and no deadline of its own (Table 1's shape): its activities do.
        "institutions": [],
        "actors": [],
        "deadline": None,
        "groups": [],
        "unit": None,  # the whole municipality
        "activities": first["activities"],
    }
    meetings, lessons = first["activities"]
    assert meetings["number"] == "1.1.1" and lessons["number"] == "1.1.2"
    assert meetings["lead"] == {"name": "Komisariati i Policisë Elbasan", "category": "c"}
    assert meetings["partners"] == [] and meetings["indicators"] == []
    assert meetings["deadline"]["kind"] == "recurrence"
    assert meetings["deadline"]["every_months"] == 2
    assert meetings["deadline"]["period"] is None and meetings["deadline"]["date"] is None
    assert meetings["deadline"]["text"]["en"] == "every 2 months"
    assert meetings["deadline"]["text"]["sq"]
    assert meetings["deadline"]["due_dates"] == [
        f"2022-{m:02d}-{d}" for m, d in zip(range(2, 13, 2), (28, 30, 30, 31, 31, 31), strict=True)
    ]
    assert lessons["text"] == "Orë edukative 1"
    assert lessons["lead"]["name"] == "Prokuroria e Rrethit Gjyqësor Elbasan"
    assert lessons["partners"] == [{"name": "Komisariati i Policisë Elbasan", "category": "c"}]
    assert lessons["deadline"] | {"text": None} == {
        "kind": "period",
        "date": None,
        "period": "h1",
        "every_months": None,
        "text": None,
        "due_dates": ["2022-06-30"],
    }
    assert lessons["deadline"]["text"]["en"] == "in the first six months"
    assert [i["name"] for i in lessons["indicators"]] == ["Orë të zhvilluara", "Nxënës të përfshirë"]
    indicator = lessons["indicators"][0]
    assert indicator["baseline"] == 0 and indicator["target"] == 12  # numbers, not strings
    assert indicator["unit"] == "orë" and indicator["frequency"] == "quarterly"


def test_a_dated_and_an_all_year_deadline(client, elbasan, chair, institutions, meeting):
    version = plan_services.plan_start(council=elbasan, year=2021)
    row = plan_services.problem_add(version=version, number="1.5", title="Dhuna në familje", priority="high")
    plan_services.activity_add(
        problem=row,
        text="Databazë",
        lead=institutions[0],
        deadline_kind="date",
        deadline_date=date(2021, 9, 30),
    )
    plan_services.activity_add(
        problem=row, text="Numra kontakti", lead=institutions[0], deadline_kind="all_year"
    )
    _approve(version, chair, meeting)
    dated, all_year = client.get(f"{ELBASAN}/plans/2021/").json()["problems"][0]["activities"]
    assert dated["deadline"]["date"] == "2021-09-30" and dated["deadline"]["due_dates"] == ["2021-09-30"]
    assert dated["deadline"]["text"]["en"] == "by 30/09/2021"
    assert "30.09.2021" in dated["deadline"]["text"]["sq"]  # the Albanian date format
    assert all_year["deadline"]["kind"] == "all_year" and all_year["deadline"]["text"]["en"] == "all year"
    assert all_year["deadline"]["due_dates"] == ["2021-12-31"]


# --- councils ----------------------------------------------------------------------------------


def test_councils_are_listed_with_pages(client, db):
    body = client.get(f"{API}/councils/").json()
    assert body["count"] == 61 and len(body["results"]) == 50 and body["next"]
    assert body["results"][0]["slug"] == "belsh"  # by name: Belsh, Berat, Bulqizë…
    every = client.get(f"{API}/councils/?page_size=100").json()
    assert len(every["results"]) == 61 and every["next"] is None
    assert client.get(f"{API}/councils/?page=9").status_code == 404


def test_a_council_has_public_facts_and_no_personal_data(client, elbasan, chair, institutions):
    elbasan.contact_email = "kvsp@elbasan.gov.al"
    elbasan.chair_holder = "prefect"
    elbasan.save()
    body = client.get(f"{ELBASAN}/").json()
    assert body["slug"] == "elbasan" and body["name"] == "Elbasan"
    assert body["county"] == {"name": "Elbasan", "slug": "elbasan"}
    assert body["chair_holder"] == "prefect"
    assert body["contact_email"] == "kvsp@elbasan.gov.al"
    assert body["plans_url"] == f"http://testserver{ELBASAN}/plans/"
    assert body["web_url"] == "http://testserver/elbasan/"
    names = {i["name"] for i in body["institutions"]}
    assert {"Komisariati i Policisë Elbasan", "Prokuroria e Rrethit Gjyqësor Elbasan"} <= names


def test_no_persons_contact_or_name_in_any_answer(client, plan):
    for path in (
        f"{API}/councils/?page_size=100",
        f"{ELBASAN}/",
        f"{ELBASAN}/plans/",
        f"{ELBASAN}/plans/2022/",
    ):
        text = client.get(path).text
        for secret in CONTACTS:
            assert secret not in text, (path, secret)
        assert "Drita Policia" not in text


# --- read-only, JSON only ----------------------------------------------------------------------

PATHS = ("/", "/councils/", "/councils/elbasan/", "/councils/elbasan/plans/", "/councils/elbasan/plans/2022/")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_for_everyone_even_with_a_session_and_no_csrf_token(plan, chair, method):
    anonymous = Client(enforce_csrf_checks=True)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(chair)
    for client in (anonymous, signed_in):
        for path in (*PATHS, "/councils/elbasan/plans/2022/v1/"):
            response = getattr(client, method)(API + path, data="{}", content_type="application/json")
            assert response.status_code == 405, (method, path)
    assert plan["v1"].problems.count() == 2


def test_json_only_no_browsable_api(client, plan):
    response = client.get(f"{ELBASAN}/plans/2022/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert client.get(f"{ELBASAN}/plans/2022/?format=api").status_code == 404
    assert client.get(f"{ELBASAN}/plans/2022/", HTTP_ACCEPT="text/html").status_code == 406


def test_a_signed_in_user_sees_no_more_than_anyone(client, plan, chair):
    anonymous = client.get(f"{ELBASAN}/plans/").json()
    client.force_login(chair)
    assert client.get(f"{ELBASAN}/plans/").json() == anonymous


# --- queries -----------------------------------------------------------------------------------


def _queries(client, path) -> int:
    public_cache.bump()  # a render's queries, not the public page cache's (none)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_plan(client, elbasan, chair, institutions, meeting):
    small = plan_services.plan_start(council=elbasan, year=2024)
    _fill(small, institutions, 1)
    _approve(small, chair, meeting)
    big = plan_services.plan_start(council=elbasan, year=2025)
    _fill(big, institutions, 12)
    _approve(big, chair, meeting)
    client.get(f"{ELBASAN}/plans/2024/")  # warm up
    few = _queries(client, f"{ELBASAN}/plans/2024/")
    assert few <= 9  # the rows' institutions and actors and the activities' actors: one query each
    assert _queries(client, f"{ELBASAN}/plans/2025/") == few
    assert _queries(client, f"{ELBASAN}/plans/2025/v1/") == few


def test_list_queries_do_not_grow(client, elbasan, chair, institutions, meeting):
    plans = []
    for year in (2019, 2020, 2021):
        version = plan_services.plan_start(council=elbasan, year=year)
        _fill(version, institutions, 1)
        plans.append(_approve(version, chair, meeting))
    client.get(f"{ELBASAN}/plans/?page_size=1")
    one = _queries(client, f"{ELBASAN}/plans/?page_size=1")
    assert _queries(client, f"{ELBASAN}/plans/") == one
    _approve(plan_services.version_revise(version=plans[0]), chair, meeting)  # a second version
    assert _queries(client, f"{ELBASAN}/plans/") == one
    assert _queries(client, f"{API}/councils/?page_size=5") == _queries(
        client, f"{API}/councils/?page_size=100"
    )
    detail = _queries(client, f"{ELBASAN}/")
    for n in range(5):
        council_services.seat_add(
            council=elbasan, institution=InstitutionFactory(name=f"OJF {n}", category="k")
        )
    assert _queries(client, f"{ELBASAN}/") == detail


# --- the schema --------------------------------------------------------------------------------


def _api_routes() -> set[str]:
    """Every address of the API, as an OpenAPI path: /api/v1/councils/{slug}/..."""
    (api,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    routes = set()
    for pattern in api.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        for converter in ("slug:", "int:"):
            route = route.replace("<" + converter, "{")
        routes.add("/api/v1/" + route.replace(">", "}"))
    return routes


def test_the_schema_describes_every_address(client, db):
    response = client.get(f"{API}/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == _api_routes() - {"/api/v1/schema/"}
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
    version = schema["components"]["schemas"]["Version"]["properties"]
    assert {"problems", "decision", "files", "versions"} <= set(version)


def test_the_schema_validates_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3.0.3" in out.getvalue()


def test_the_root_links_to_councils_and_schema(client, db):
    body = client.get(f"{API}/").json()
    assert body == {
        "councils": "http://testserver/api/v1/councils/",
        "schema": "http://testserver/api/v1/schema/",
    }
