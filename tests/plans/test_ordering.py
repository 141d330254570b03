"""Who is responsible, in the order named (plans/ordering.py): a row's institutions and actors and
an activity's partners and actors keep the order typed or ticked — not re-sorted by name or id — in
the model, the editor's rows, every file, the API and a new version; editing keeps the order of
those kept and adds new ones last; the same names again write nothing. Comparing versions shows a row's
institutions, actors and deadline (plans/compare.py), and an activity's own deadline only."""

import json

import pytest
from django.utils import translation

from councils.models import Institution
from plans import exports, selectors, services
from plans.compare import compare
from plans.models import Actor, PlanProblem
from plans.ordering import name_in_order, named
from tests.builders import YEAR, approve_by_decision
from tests.factories import UserFactory, council

from . import table1

pytestmark = pytest.mark.django_db

COMMUNITY, NGO = table1.COMMUNITY, table1.NGO


@pytest.fixture
def setting(meeting):
    elbasan = council("elbasan")
    people = {"secretary": UserFactory(), "chair": UserFactory(), "skn": UserFactory()}
    institutions = table1.seat_members(
        elbasan, {"secretary": people["secretary"], "chair": people["chair"], "skn_police": people["skn"]}
    )
    version = services.plan_start(council=elbasan, year=YEAR)
    return {"people": people, "institutions": institutions, "version": version, "meeting": meeting}


def _row(setting, members, actors, number="1.7"):
    institutions = setting["institutions"]
    return services.problem_add(
        version=setting["version"],
        number=number,
        title=f"Rreshti {number}",
        priority="high",
        institutions=[institutions[name] for name in members],
        new_actors=actors,
        deadline_kind="all_year",
    )


def test_a_row_names_its_institutions_and_actors_in_the_order_typed(setting, client):
    # "OJF" exists before "Përfaqësues të komunitetit" (a smaller id) and comes first by name.
    first = _row(setting, [table1.MUNICIPALITY], [NGO], number="1.5")
    services.activity_add(problem=first, text="Konsultimi midis bashkisë dhe OJF-ve")
    printed = [table1.POLICE, table1.PROSECUTION, table1.MUNICIPALITY]
    row = _row(setting, printed, [COMMUNITY, NGO])
    services.activity_add(problem=row, text="Identifikimi i zonave të nxehta")
    assert Actor.objects.get(name=NGO).pk < Actor.objects.get(name=COMMUNITY).pk
    expected = [*printed, COMMUNITY, NGO]
    assert PlanProblem.objects.get(pk=row.pk).responsible.names == expected  # without a prefetch
    (listed,) = [problem for problem in selectors.plan_rows(setting["version"]) if problem.pk == row.pk]
    assert listed.responsible.names == expected
    assert listed.activities.all()[0].responsible.names == expected  # inherited, in order
    version = approve_by_decision(
        setting["version"],
        chair=setting["people"]["chair"],
        meeting=setting["meeting"],
        submitted_by=setting["people"]["skn"],
    )
    with translation.override("sq"):
        data = json.loads(exports.plan_json(version))
        csv_text = exports.plan_csv(version).decode("utf-8-sig")
    problem = data["problems"][1]
    assert problem["institutions"] + problem["actors"] == expected
    assert problem["activities"][0]["responsible"] == expected
    assert "; ".join(expected) in csv_text
    api = client.get(f"/api/v1/councils/elbasan/plans/{YEAR}/v1/").json()
    api_problem = api["problems"][1]
    assert [i["name"] for i in api_problem["institutions"]] + api_problem["actors"] == expected
    # A new version copies them in the same order.
    draft = services.version_revise(version=version, note="Pas takimit")
    assert draft.problems.get(number="1.7").responsible.names == expected


def test_editing_a_row_keeps_its_order_and_adds_new_names_last(setting):
    institutions = setting["institutions"]
    police, prosecution, municipality = (institutions[name] for name in table1.MEMBERS)
    row = _row(setting, [table1.MUNICIPALITY, table1.POLICE], [COMMUNITY, NGO])
    community, ngo = Actor.objects.get(name=COMMUNITY), Actor.objects.get(name=NGO)
    # The form sends the ticked boxes by name: their order says nothing, the row's is kept.
    services.problem_update(problem=row, title="Zonat e nxehta", actors=[ngo, community])
    assert named(row, "actors") == [community, ngo]
    services.problem_update(problem=row, institutions=[prosecution, police, municipality])
    row = PlanProblem.objects.get(pk=row.pk)
    assert row.responsible.names == [
        table1.MUNICIPALITY,
        table1.POLICE,
        table1.PROSECUTION,  # added: last
        COMMUNITY,
        NGO,
    ]
    services.problem_update(problem=row, institutions=[police], actors=[ngo], new_actors=[table1.EDUCATION])
    row = PlanProblem.objects.get(pk=row.pk)
    assert row.responsible.names == [table1.POLICE, NGO, table1.EDUCATION]
    activity = services.activity_add(
        problem=row,
        text="Takime me komunitetin",
        partners=[prosecution, municipality],
        new_actors=[COMMUNITY],
    )
    assert activity.responsible.names == [table1.PROSECUTION, table1.MUNICIPALITY, COMMUNITY]


def test_the_same_order_writes_nothing(setting, django_assert_num_queries):
    row = _row(setting, [table1.MUNICIPALITY, table1.POLICE], [COMMUNITY])
    links = PlanProblem.actors.through.objects.filter(planproblem=row)
    before = list(links.values_list("pk", flat=True))
    actors = named(row, "actors")
    with django_assert_num_queries(1):  # reads the links, writes none
        name_in_order(row, "actors", actors)
    services.problem_update(problem=row, new_actors=[])  # nothing new: the same names kept
    assert list(links.values_list("pk", flat=True)) == before
    names = [table1.MUNICIPALITY, table1.POLICE, COMMUNITY]
    assert PlanProblem.objects.get(pk=row.pk).responsible.names == names


def test_an_institution_named_twice_is_named_once(setting):
    police = setting["institutions"][table1.POLICE]
    row = _row(setting, [], [])
    name_in_order(row, "institutions", [police, police])
    assert named(row, "institutions") == [police]
    assert Institution.objects.filter(pk=police.pk).exists()


def test_compare_shows_a_row_s_institutions_actors_and_deadline(setting):
    institutions = setting["institutions"]
    row = _row(setting, [table1.POLICE, table1.MUNICIPALITY], [NGO])
    services.activity_add(problem=row, text="Identifikimi i zonave të nxehta")
    services.activity_add(problem=row, text="Kamera në qytet", deadline_kind="period", deadline_period="h2")
    version = approve_by_decision(
        setting["version"],
        chair=setting["people"]["chair"],
        meeting=setting["meeting"],
        submitted_by=setting["people"]["skn"],
    )
    draft = services.version_revise(version=version)
    new_row = draft.problems.get()
    services.problem_update(
        problem=new_row,
        institutions=[institutions[table1.POLICE], institutions[table1.PROSECUTION]],
        new_actors=[COMMUNITY, NGO],
        deadline_kind="recurrence",
        deadline_every_months=2,
    )
    with translation.override("en"):
        (diff,) = compare(version, draft)
        changes = {change.label: (change.before, change.after) for change in diff.changes}
        activities = [(a.kind, {c.label: (c.before, c.after) for c in a.changes}) for a in diff.activities]
    assert diff.kind == "changed"
    assert changes == {
        "responsible institutions": (
            f"{table1.POLICE}, {table1.MUNICIPALITY}",
            f"{table1.POLICE}, {table1.PROSECUTION}",
        ),
        "other responsible actors": (NGO, f"{NGO}, {COMMUNITY}"),  # the one kept keeps its place
        "deadline": ("all year", "every 2 months"),
    }
    # The activities inherit the row's: changed once, on the row; their own deadline is theirs.
    assert activities == [("same", {}), ("same", {})]
    activity = new_row.activities.order_by("position").last()
    services.activity_update(activity=activity, text=activity.text, deadline_kind="")
    with translation.override("en"):
        (diff,) = compare(version, draft)
        last = diff.activities[-1]
    assert {c.label: (c.before, c.after) for c in last.changes} == {
        "deadline": ("in the second six months", "As the row")
    }


def test_the_compare_page_shows_the_row_s_changes(setting, client):
    institutions = setting["institutions"]
    row = _row(setting, [table1.POLICE], [])
    services.activity_add(problem=row, text="Identifikimi i zonave të nxehta")
    version = approve_by_decision(
        setting["version"],
        chair=setting["people"]["chair"],
        meeting=setting["meeting"],
        submitted_by=setting["people"]["skn"],
    )
    draft = services.version_revise(version=version)
    services.problem_update(
        problem=draft.problems.get(),
        institutions=[institutions[table1.POLICE], institutions[table1.PROSECUTION]],
        new_actors=[table1.EDUCATION],
        deadline_kind="period",
        deadline_period="h1",
    )
    client.force_login(setting["people"]["skn"])
    client.cookies["kvsp_language"] = "sq"
    page = client.get(f"/app/elbasan/plans/{YEAR}/compare/?a=1&b=2")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"<ins>{table1.POLICE}, {table1.PROSECUTION}</ins>" in text
    assert f"<ins>{table1.EDUCATION}</ins>" in text
    assert "<del>gjatë gjithë vitit</del>" in text and "<ins>në gjashtëmujorin e parë</ins>" in text
