"""Where a plan row's problem is (issue 23 item 5): the editor lets the SKN name an administrative
unit of the council's municipality (empty: the whole municipality), refuses one of another
municipality, a revision copies it, and every output of the plan carries it (staff page, public
page, plan.json, plan.csv, PDF lines, the API) without a query more."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/plan_files.py, imported by name)

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations.models import ProblemCategory
from councils.models import AdministrativeUnit
from plans import exports, services
from plans.compare import compare
from plans.forms import RowForm
from tests.builders import approve_plan, fill_version
from tests.fixtures.plan_files import people  # noqa: F401 (fixture)
from tests.plans.plan_csv import plan_csv_lines

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ROW = {"number": "1.1", "title": "Vjedhje në banesa", "priority": "high"}


def _form(**fields) -> dict:
    """What the row form posts: the row with its category (required in the form)."""
    return {**ROW, "category": ProblemCategory.objects.get(code="property_crime").pk, **fields}


def _unit(name: str, slug: str = "elbasan") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(municipality__slug=slug, name=name)


def _elsewhere() -> AdministrativeUnit:
    return AdministrativeUnit.objects.filter(municipality__slug="belsh").first()


def _row(version, people, **fields):
    """A row with one activity (a version is approved only with an activity on every row)."""
    row = services.problem_add(version=version, **(ROW | fields))
    services.activity_add(
        problem=row, text="Patrullime në mbrëmje", lead=people["police"], deadline_kind="all_year"
    )
    return row


@pytest.fixture
def placed(people):
    """An approved plan of 2026: 1.1 in Shushicë, 1.2 for the whole municipality."""
    version = services.plan_start(council=people["council"], year=2026)
    _row(version, people, unit=_unit("Shushicë"))
    _row(version, people, number="1.2", title="Dhuna në familje", priority="moderate")
    return approve_plan(version, people)


def test_the_row_form_offers_the_units_of_the_municipality_only(people):
    council = people["council"]
    form = RowForm(council=council)
    offered = set(form.fields["unit"].queryset.values_list("municipality__slug", flat=True))
    assert offered == {"elbasan"}
    assert RowForm(_form(unit=""), council=council).is_valid()  # the whole municipality
    good = RowForm(_form(unit=_unit("Bradashesh").pk), council=council)
    assert good.is_valid(), good.errors
    assert good.service_data()["unit"] == _unit("Bradashesh")
    with translation.override("en"):
        for bad in (_elsewhere().pk, "999999999", "x"):
            form = RowForm(_form(unit=bad), council=council)
            assert not form.is_valid()
            assert form.errors["unit"] == ["Choose an administrative unit of this municipality."]


def test_the_services_refuse_a_unit_of_another_municipality(people):
    version = services.plan_start(council=people["council"], year=2026)
    with pytest.raises(ValidationError) as refused:
        services.problem_add(version=version, **ROW, unit=_elsewhere())
    assert "unit" in refused.value.message_dict and not version.problems.exists()
    row = services.problem_add(version=version, **ROW, unit=_unit("Gjinar"))
    assert row.unit == _unit("Gjinar")
    with pytest.raises(ValidationError) as refused:
        services.problem_update(problem=row, unit=_elsewhere())
    assert "unit" in refused.value.message_dict
    services.problem_update(problem=row, title="Vjedhje në banesa dhe dyqane")  # not given: kept
    row.refresh_from_db()
    assert row.unit == _unit("Gjinar")
    services.problem_update(problem=row, unit=None)  # given empty: the whole municipality
    row.refresh_from_db()
    assert row.unit is None


def test_the_editor_saves_the_unit_and_keeps_what_was_typed_on_refusal(client, people):
    version = services.plan_start(council=people["council"], year=2026)
    client.force_login(people["secretary"])
    url = "/app/elbasan/plans/2026/v1/problems/add/"
    page = client.get(url, **EN).text
    assert "Administrative unit" in page and "The whole municipality" in page and "Shushicë" in page
    refused = client.post(url, _form(unit=_elsewhere().pk), **EN)
    assert refused.status_code == 200
    assert "Choose an administrative unit of this municipality." in refused.text
    assert 'value="Vjedhje në banesa"' in refused.text and not version.problems.exists()
    saved = client.post(url, _form(unit=_unit("Labinot-Fushë").pk), **EN)
    assert saved.status_code == 302
    row = version.problems.get()
    assert row.unit == _unit("Labinot-Fushë")
    edit = client.get(f"/app/elbasan/plans/2026/v1/problems/{row.pk}/", **EN).text
    assert f'<option value="{row.unit_id}" selected>' in edit
    staff = client.get("/app/elbasan/plans/2026/v1/", **EN).text
    assert "Labinot-Fushë" in staff


def test_a_revision_copies_the_unit_and_a_change_shows_in_the_comparison(people, placed):
    draft = services.version_revise(version=placed)
    first, second = draft.problems.order_by("position")
    assert first.unit == _unit("Shushicë") and second.unit is None
    services.problem_update(problem=second, unit=_unit("Bradashesh"))
    with translation.override("en"):
        diffs = compare(placed, draft)
    changes = [(c.label, c.before, c.after) for c in diffs[1].changes]
    assert changes == [("administrative unit", "the whole municipality", "Bradashesh")]
    assert diffs[0].kind == "same"


def test_the_outputs_carry_the_unit(client, people, placed):
    with translation.override("en"):
        data = json.loads(exports.plan_json(placed))
        lines = plan_csv_lines(exports.plan_csv(placed))
        table = exports.plan_table(placed)
        first, second = (exports.problem_lines(problem) for problem in table["problems"][:2])
    assert [problem["unit"] for problem in data["problems"]] == ["Shushicë", None]
    assert [line["unit"] for line in lines] == ["Shushicë", ""]
    assert "Where: Shushicë" in first
    assert not any(line.startswith("Where") for line in second)
    body = client.get("/api/v1/councils/elbasan/plans/2026/v1/").json()
    assert [problem["unit"] for problem in body["problems"]] == ["Shushicë", None]
    public = client.get("/elbasan/plan/2026/", **EN).text
    assert "Where:" in public and "Shushicë" in public and "the whole municipality" in public


def test_a_csv_cell_of_a_unit_is_neutralised(people):
    """A unit's name comes from reference data, but every CSV cell goes through safe_cell."""
    version = services.plan_start(council=people["council"], year=2026)
    unit = AdministrativeUnit.objects.create(municipality=people["council"].municipality, name="=1+1")
    _row(version, people, unit=unit)
    approved = approve_plan(version, people)
    lines = plan_csv_lines(exports.plan_csv(approved))
    assert lines[0]["unit"] != "=1+1" and lines[0]["unit"].endswith("=1+1")


def test_units_add_no_query_to_the_public_page_or_the_api(client, people):
    def count(year: int, placed: bool) -> tuple[int, int]:
        version = services.plan_start(council=people["council"], year=year)
        rows = fill_version(version, people, problems=3, activities=1)
        units = list(AdministrativeUnit.objects.filter(municipality__slug="elbasan")[:3])
        if placed:
            for row, unit in zip(rows, units, strict=True):
                services.problem_update(problem=row, unit=unit)
        approve_plan(version, people)
        found = []
        for url in (f"/elbasan/plan/{year}/", f"/api/v1/councils/elbasan/plans/{year}/v1/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found[0], found[1]

    assert count(2025, False) == count(2026, True)


def test_a_row_pulled_from_a_consultation_starts_where_its_concerns_are(elbasan, officers, selected):
    from consultations import services as consultation_services
    from consultations.models import Concern

    def pulled(year: int):
        version = services.plan_start(council=elbasan, year=year)
        (row,) = services.problems_pull(version=version, problems=[selected])
        return row

    selected.concerns.update(unit=_unit("Shushicë"))
    assert pulled(2026).unit == _unit("Shushicë")
    # Its concerns name two units: no one place, the SKN chooses.
    text = "Drogë te stacioni"
    other = consultation_services.concern_submit(
        council=elbasan, consultation=selected.consultation, text=text, category="hotspots"
    )
    consultation_services.concern_publish(concern=other, public_text=text, user=officers["skn"])
    Concern.objects.filter(pk=other.pk).update(unit=_unit("Bradashesh"), problem=selected)
    assert pulled(2027).unit is None
