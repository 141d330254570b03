"""Where the problems are (issue 23 item 5): the council's public page counts published concerns
and rows of the plan in force per administrative unit, in a table and a server-drawn SVG chart,
in a fixed number of queries."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/plan_files.py, imported by name)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations import services as consultation_services
from councils.models import AdministrativeUnit
from kvsp.portal.where import where_problems
from plans import services
from tests.builders import approve_plan, fill_version
from tests.factories import council
from tests.fixtures.plan_files import people, published  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PAGE = "/elbasan/"


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The selector's labels and the pages in English (the default is Albanian)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _unit(name: str, slug: str = "elbasan") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(municipality__slug=slug, name=name)


def _concern(the_council, unit, *, publish=True, moderator=None, text="Drita e rrugës nuk punon prej muajsh"):
    concern = consultation_services.concern_submit(
        council=the_council, text=text, category="traffic", unit=unit
    )
    if publish:
        consultation_services.concern_publish(concern=concern, public_text=text, user=moderator)
    return concern


def _by_label(where) -> dict:
    return {unit.label: (unit.concerns, unit.rows) for unit in where.units}


def test_only_published_concerns_of_the_council_are_counted(people):
    elbasan, secretary = people["council"], people["secretary"]
    shushice, bradashesh = _unit("Shushicë"), _unit("Bradashesh")
    for _i in range(3):
        _concern(elbasan, shushice, moderator=secretary)
    _concern(elbasan, bradashesh, moderator=secretary)
    _concern(elbasan, None, moderator=secretary)
    _concern(elbasan, bradashesh, publish=False)  # received, not moderated: never counted
    rejected = _concern(elbasan, shushice, publish=False)
    consultation_services.concern_reject(concern=rejected, reason="Rast individual", user=secretary)
    belsh = council("belsh")
    belsh_unit = AdministrativeUnit.objects.filter(municipality__slug="belsh").first()
    _concern(belsh, belsh_unit, moderator=secretary)

    where = where_problems(elbasan)
    counts = _by_label(where)
    assert counts["Shushicë"] == (3, 0) and counts["Bradashesh"] == (1, 0)
    assert counts["Unit not given"] == (1, None)
    assert where.concerns_total == 5 and where.rows_total == 0 and where.plan_year is None
    assert [unit.label for unit in where.units] == ["Shushicë", "Bradashesh", "Unit not given"]
    assert not any(unit.label.startswith("Belsh") for unit in where.units)
    # The largest bar is the longest; each other one in proportion.
    assert where.units[0].concern_bar == 340 and where.units[1].concern_bar == 113
    assert where_problems(belsh).concerns_total == 1  # counted for its own council only


def test_rows_of_the_plan_in_force_are_counted_per_unit(people, published):
    elbasan = people["council"]
    rows = list(published.problems.order_by("position"))
    draft = services.version_revise(version=published)
    where = where_problems(elbasan)
    assert where.rows_total == 3 and _by_label(where) == {"The whole municipality": (None, 3)}
    assert (where.plan_year, where.plan_version) == (2026, 1)

    labinot = _unit("Labinot-Fushë")
    draft_rows = list(draft.problems.order_by("position"))
    services.problem_update(problem=draft_rows[0], unit=labinot)
    services.problem_update(problem=draft_rows[1], unit=labinot)
    assert where_problems(elbasan).rows_total == 3  # a draft is not in force
    assert rows[0].unit is None
    approve_plan(draft, people)
    where = where_problems(elbasan)
    assert (where.plan_year, where.plan_version) == (2026, 2)
    assert _by_label(where) == {"Labinot-Fushë": (0, 2), "The whole municipality": (None, 1)}


def test_the_council_page_shows_the_chart_and_the_table(client, people, published):
    elbasan, secretary = people["council"], people["secretary"]
    _concern(elbasan, _unit("Gjinar"), moderator=secretary)
    _concern(elbasan, _unit("Gjinar"), publish=False, text="Një tekst që nuk është publikuar ende")
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.text
    assert "Where the problems are" in page
    assert 'role="img"' in page and '<title id="where-title">' in page
    assert 'class="kvsp-where-concerns"' in page and 'class="kvsp-where-rows"' in page
    assert '<th scope="row">Gjinar</th>' in page and "The whole municipality" in page
    assert "Një tekst që nuk është publikuar ende" not in page and "style=" not in page.split("<main")[1]


def test_with_nothing_published_the_section_says_so(client, people):
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").text
    assert "No concern has been published and no plan is in force yet." in page
    assert "kvsp-where-concerns" not in page


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PAGE)
    assert response.status_code == 200
    return len(captured)


def test_the_council_page_reads_in_constant_queries(client, people, published, django_assert_max_num_queries):
    elbasan, secretary = people["council"], people["secretary"]
    units = list(AdministrativeUnit.objects.filter(municipality__slug="elbasan")[:6])
    client.get(PAGE)  # warm what is cached across data sizes (the national overview's records)
    _concern(elbasan, units[0], moderator=secretary)
    few = _page_queries(client)
    for unit in units:
        for _i in range(3):
            _concern(elbasan, unit, moderator=secretary)
    draft = services.version_revise(version=published)
    fill_version(draft, people, problems=4, activities=1, first_number=4)
    for row, unit in zip(draft.problems.all(), units, strict=False):
        services.problem_update(problem=row, unit=unit)
    approve_plan(draft, people)
    many = _page_queries(client)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
