# ruff: noqa: F811 (fixtures of tests/fixtures/plans.py, imported by name)
"""The national problem taxonomy (issue 24, item 2): seeded; a consultation problem proposed the
category its concerns map to; a plan row pulled from it proposed the problem's; a revision copies
it; an approved row keeps it (database triggers); a category in use is never deleted (PROTECT, a
clear admin page, no 500); the admin merges one category into another."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from consultations import services as consultation_services
from consultations.models import Concern, Problem, ProblemCategory
from consultations.taxonomy import CONCERN_CATEGORY_MAP, SEED, category_merge, proposed_code
from plans import services
from plans.forms import RowForm
from plans.models import PlanProblem
from tests.builders import YEAR, approve
from tests.fixtures.plans import draft, elbasan, meeting, officers, selected  # noqa: F401

pytestmark = pytest.mark.django_db


def _category(code):
    return ProblemCategory.objects.get(code=code)


def test_the_strategy_areas_are_seeded_and_every_concern_category_maps_onto_one():
    assert list(ProblemCategory.objects.values_list("code", flat=True)) == [code for code, _sq, _en in SEED]
    assert set(CONCERN_CATEGORY_MAP) == set(Concern.Category.values)
    assert set(CONCERN_CATEGORY_MAP.values()) <= {code for code, _sq, _en in SEED}
    assert proposed_code(["hotspots", "traffic", "traffic"]) == "road_safety"
    assert proposed_code(["domestic_violence", "hotspots"]) == "domestic_violence"  # a tie: the order
    assert proposed_code([]) is None


def test_a_problem_is_proposed_its_concerns_category_and_a_pulled_row_the_problems(selected, officers):
    assert selected.category.code == "public_order"  # its concern: a hotspot
    version = services.plan_start(council=selected.council, year=YEAR + 1)
    (row,) = services.problems_pull(version=version, problems=[selected])
    assert row.category == selected.category
    consultation_services.problem_assess(
        problem=selected,
        title=selected.title,
        intensity="high",
        institutions=[officers["police"]],
        outcome=Problem.Outcome.IN_PLAN,
        category=_category("drugs_alcohol_youth"),
    )
    selected.refresh_from_db()
    assert selected.category.code == "drugs_alcohol_youth"


def test_the_row_form_requires_a_category_and_offers_only_active_ones(elbasan, officers):
    data = {"number": "1.1", "title": "Vjedhje", "priority": "high"}
    form = RowForm(data=data, council=elbasan)
    assert not form.is_valid() and "category" in form.errors
    online = _category("online_safety")
    ProblemCategory.objects.filter(pk=online.pk).update(active=False)
    form = RowForm(data=data | {"category": str(online.pk)}, council=elbasan)
    assert not form.is_valid() and "category" in form.errors
    form = RowForm(data=data | {"category": str(_category("property_crime").pk)}, council=elbasan)
    assert form.is_valid(), form.errors
    assert form.service_data()["category"].code == "property_crime"


def test_a_revision_copies_the_category_and_the_approved_row_keeps_it(draft, officers, meeting):
    row = draft.problems.first()
    services.problem_update(problem=row, category=_category("road_safety"))
    version = approve(draft, officers, meeting)
    revision = services.version_revise(version=version)
    copied = revision.problems.get(lineage=row.lineage)
    assert copied.category.code == "road_safety"
    frozen = version.problems.get(lineage=row.lineage)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it
        PlanProblem.objects.filter(pk=frozen.pk).update(category=_category("other"))


def test_a_category_in_use_is_not_deleted(draft):
    services.problem_update(problem=draft.problems.first(), category=_category("public_order"))
    with pytest.raises(ProtectedError):
        _category("public_order").delete()


def test_the_admin_refuses_the_delete_with_a_page_and_merges(admin_client, draft):
    services.problem_update(problem=draft.problems.first(), category=_category("public_order"))
    admin_client.cookies["kvsp_language"] = "en"
    category = _category("public_order")
    page = admin_client.post(f"/admin/consultations/problemcategory/{category.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200  # the page that lists what protects it, not a 500
    assert "protected" in page.content.decode().lower()
    assert ProblemCategory.objects.filter(pk=category.pk).exists()
    response = admin_client.post(
        "/admin/consultations/problemcategory/",
        {
            "action": "merge",
            "_selected_action": [category.pk],
            "target": _category("other").pk,
            "index": 0,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "merged into" in response.content.decode()
    assert not ProblemCategory.objects.filter(code="public_order").exists()  # only a draft used it
    assert draft.problems.first().category.code == "other"


def test_merging_a_category_of_an_approved_plan_keeps_it_merged_and_inactive(draft, officers, meeting):
    row = draft.problems.first()
    services.problem_update(problem=row, category=_category("road_safety"))
    version = approve(draft, officers, meeting)
    revision = services.version_revise(version=version)
    assert category_merge(source=_category("road_safety"), target=_category("public_order")) == 1
    road = _category("road_safety")
    assert (road.active, road.merged_into.code) == (False, "public_order")
    assert version.problems.get(lineage=row.lineage).category.code == "road_safety"  # frozen
    assert revision.problems.get(lineage=row.lineage).category.code == "public_order"
    # Merged again: what was merged into the first target follows to the new one.
    public_order = _category("public_order").pk
    assert category_merge(source=_category("public_order"), target=_category("other")) == 0
    assert _category("road_safety").merged_into.code == "other"
    assert revision.problems.get(lineage=row.lineage).category.code == "other"
    # Every move is in the history trail: the revision's row, and the category repointed twice.
    moved = revision.problems.get(lineage=row.lineage)
    assert [h.category_id for h in moved.history.order_by("history_id")][-2:] == [
        public_order,
        _category("other").pk,
    ]
    road = _category("road_safety")
    assert [h.merged_into_id for h in road.history.order_by("history_id")][-2:] == [
        public_order,
        _category("other").pk,
    ]


def test_a_merge_into_itself_or_into_a_merged_category_is_refused():
    from django.core.exceptions import ValidationError

    other = _category("other")
    with pytest.raises(ValidationError):
        category_merge(source=other, target=other)
    ProblemCategory.objects.filter(code="online_safety").update(active=False)
    with pytest.raises(ValidationError):
        category_merge(source=other, target=_category("online_safety"))


def test_merging_leaves_the_rows_of_a_submitted_version_as_the_chair_reads_them(draft, officers):
    from plans import approval

    row = draft.problems.first()
    services.problem_update(problem=row, category=_category("road_safety"))
    approval.version_submit(version=draft, user=officers["skn"])
    assert category_merge(source=_category("road_safety"), target=_category("public_order")) == 1
    assert draft.problems.get(lineage=row.lineage).category.code == "road_safety"
    assert (_category("road_safety").active, _category("road_safety").merged_into.code) == (
        False,
        "public_order",
    )


def test_a_revision_takes_the_successor_of_a_category_merged_since(draft, officers, meeting):
    row = draft.problems.first()
    services.problem_update(problem=row, category=_category("road_safety"))
    version = approve(draft, officers, meeting)
    assert category_merge(source=_category("road_safety"), target=_category("public_order")) == 1
    revision = services.version_revise(version=version)
    assert revision.problems.get(lineage=row.lineage).category.code == "public_order"
