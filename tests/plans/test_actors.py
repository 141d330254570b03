"""Responsible actors beyond members (plans/actors.py) and Table 1's shape (issue 22, items 1-2):
one actor per name whatever its case or accents; a row's institutions, actors and deadline are its
activities' unless an activity names its own; the lead is optional; the statistics' source is
optional; the row's number is the secretary's; the plan's title is editable; an approved version's
new tables never change."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from councils.models import CouncilInstitution, Institution, Membership
from plans import actors, services
from plans.deadlines import Deadline
from plans.editor_views import suggest_number
from plans.models import Actor
from tests.builders import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(elbasan, officers):
    return services.plan_start(council=elbasan, year=YEAR)


@pytest.fixture
def row(version, officers):
    return services.problem_add(
        version=version,
        number="1.5",
        title="Dhuna në familje",
        priority="high",
        institutions=[officers["police"], officers["municipality"]],
        new_actors=["OJF"],
        deadline_kind="all_year",
    )


# --- actors: one per name whatever its case or accents ------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("OJF", "ojf"),
        ("Përfaqësues të komunitetit", "perfaqesues te komunitetit"),
        ("Drejtoria  Arsimore ", "DREJTORIA ARSIMORE"),
        ("Shoqata “Gruaja”", "shoqata “gruaja”"),
    ],
)
def test_names_differing_only_in_case_accents_or_spaces_are_one_actor(a, b):
    assert actors.actor_key(a) == actors.actor_key(b)


def test_different_names_are_different_actors():
    assert actors.actor_key("OJF") != actors.actor_key("OJF-të")
    assert actors.actor_key("Shkolla Naim Frashëri") != actors.actor_key("Shkolla Ismail Qemali")


def test_adding_a_name_already_in_the_list_offers_the_existing_actor(elbasan):
    first = actors.actor_add(council=elbasan, name="Përfaqësues të komunitetit", kind="community")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actors.actor_add(council=elbasan, name="perfaqesues TE komunitetit", kind="other")
    assert "“Përfaqësues të komunitetit” is already in the list" in refused.value.message_dict["name"][0]
    assert list(Actor.objects.filter(council=elbasan)) == [first]


def test_another_council_has_its_own_list(elbasan):
    from tests.factories import council

    actors.actor_add(council=elbasan, name="OJF", kind="ngo")
    other = actors.actor_add(council=council("belsh"), name="OJF", kind="ngo")
    assert other.council.municipality.slug == "belsh"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_an_empty_or_too_long_name_is_refused(elbasan, name):
    with pytest.raises(ValidationError) as refused:
        actors.actor_add(council=elbasan, name=name)
    assert "name" in refused.value.message_dict
    assert not Actor.objects.exists()


def test_names_typed_on_a_row_reuse_the_existing_actors(elbasan, version, officers):
    ngo = actors.actor_add(council=elbasan, name="OJF", kind="ngo")
    problem = services.problem_add(
        version=version,
        number="1.7",
        title="Zonat e nxehta",
        priority="high",
        new_actors=actors.split_names("ojf\nPërfaqësues të komunitetit\nperfaqesues te komunitetit;OJF"),
    )
    assert [a.name for a in problem.actors.all().order_by("name")] == ["OJF", "Përfaqësues të komunitetit"]
    assert Actor.objects.filter(council=elbasan).count() == 2
    assert problem.actors.get(name="OJF") == ngo and ngo.kind == "ngo"


def test_actors_are_not_members(elbasan, row):
    seats = CouncilInstitution.objects.filter(council=elbasan).count()
    assert not Institution.objects.filter(name="OJF").exists()
    assert not Membership.objects.filter(council=elbasan, institution__name="OJF").exists()
    assert CouncilInstitution.objects.filter(council=elbasan).count() == seats


def test_another_councils_actor_is_refused(version):
    from tests.factories import council

    stranger = actors.actor_add(council=council("belsh"), name="OJF")
    with pytest.raises(ValidationError) as refused:
        services.problem_add(version=version, number="1.1", title="T", priority="low", actors=[stranger])
    assert "actors" in refused.value.message_dict


# --- inheritance: row → activity, and the activity's own ------------------------------------------


def test_an_activity_naming_no_one_and_no_deadline_has_its_rows(row, officers):
    activity = services.activity_add(problem=row, text="Konsultimi midis bashkisë dhe OJF-ve")
    assert activity.lead is None
    responsible = activity.responsible
    assert responsible.inherited and responsible.lead == ""
    # The institutions, then the actors, in the order named (plans/ordering.py).
    assert responsible.names == ["Drejtoria Vendore e Policisë Elbasan", "Bashkia Elbasan", "OJF"]
    assert activity.deadline == Deadline(kind="all_year") and activity.deadline_inherited


def test_an_activity_naming_its_own_overrides_its_row(row, officers, elbasan):
    activity = services.activity_add(
        problem=row,
        text="Krijimi i një databaze",
        lead=officers["police"],
        partners=[officers["prosecution"]],
        new_actors=["Drejtoria Arsimore"],
        deadline_kind="period",
        deadline_period="h1",
    )
    responsible = activity.responsible
    assert not responsible.inherited
    assert responsible.lead == "Drejtoria Vendore e Policisë Elbasan"
    assert responsible.names == [
        "Drejtoria Vendore e Policisë Elbasan",
        "Prokuroria e Rrethit Gjyqësor Elbasan",
        "Drejtoria Arsimore",
    ]
    assert activity.deadline == Deadline(kind="period", period="h1") and not activity.deadline_inherited


def test_an_activity_naming_only_an_actor_overrides_its_row_without_a_lead(row):
    activity = services.activity_add(problem=row, text="Takime", new_actors=["Përfaqësues të komunitetit"])
    assert activity.responsible.names == ["Përfaqësues të komunitetit"]
    assert activity.responsible.lead == "" and not activity.responsible.inherited


def test_a_change_to_the_row_reaches_the_activities_that_inherit(row, officers):
    activity = services.activity_add(problem=row, text="Takime")
    services.problem_update(
        problem=row,
        institutions=[officers["prosecution"]],
        deadline_kind="recurrence",
        deadline_every_months=2,
    )
    activity.refresh_from_db()
    assert activity.responsible.names == ["Prokuroria e Rrethit Gjyqësor Elbasan", "OJF"]  # actors kept
    assert activity.deadline == Deadline(kind="recurrence", every_months=2)


def test_without_a_deadline_on_the_row_the_activity_must_give_one(version):
    problem = services.problem_add(version=version, number="1.2", title="Heshtja", priority="moderate")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.activity_add(problem=problem, text="Takime")
    assert refused.value.message_dict["deadline_kind"] == ["Give the deadline here or on the problem's row."]


def test_a_version_with_an_activity_naming_no_one_cannot_be_submitted(version, officers):
    from plans import approval

    problem = services.problem_add(
        version=version, number="1.2", title="Heshtja", priority="moderate", deadline_kind="all_year"
    )
    services.activity_add(problem=problem, text="Takime")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        approval.version_submit(version=version, user=officers["skn"])
    assert "Activity 1.2.1 names no one responsible" in " ".join(refused.value.messages)


def test_a_lead_from_outside_the_council_is_refused(row):
    with pytest.raises(ValidationError) as refused:
        services.activity_add(
            problem=row, text="Takime", lead=Institution.objects.create(name="Tjetër", category="k")
        )
    assert "lead" in refused.value.message_dict


# --- the row: numbers as typed, optional source, deadline kinds ------------------------------------


def test_the_numbers_stay_as_typed_and_the_form_only_suggests(version):
    for number in ("1.2", "1.4", "1.5", "1.7"):
        services.problem_add(version=version, number=number, title=f"Rreshti {number}", priority="high")
    assert list(version.problems.values_list("number", flat=True)) == ["1.2", "1.4", "1.5", "1.7"]
    assert suggest_number(version) == "1.8"


def test_the_suggestion_skips_a_number_taken(version):
    services.problem_add(version=version, number="2.1", title="A", priority="high")
    services.problem_add(version=version, number="2.3", title="B", priority="high")
    services.problem_add(version=version, number="2.2", title="C", priority="high")
    assert suggest_number(version) == "2.4"


def test_statistics_without_a_source_are_accepted(version):
    problem = services.problem_add(
        version=version, number="1.5", title="Dhuna", priority="high", statistics="56 raste në vitin 2021"
    )
    assert problem.statistics_source == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"deadline_kind": "recurrence"}, "deadline_every_months"),
        ({"deadline_kind": "recurrence", "deadline_every_months": 13}, "deadline_every_months"),
        ({"deadline_kind": "period", "deadline_period": "h3"}, "deadline_period"),
        ({"deadline_kind": "date"}, "deadline_date"),
        ({"deadline_kind": "someday"}, "deadline_kind"),
    ],
)
def test_an_incomplete_row_deadline_is_refused(version, fields, field):
    with pytest.raises(ValidationError) as refused:
        services.problem_add(version=version, number="1.1", title="T", priority="low", **fields)
    assert field in refused.value.message_dict


def test_the_guides_deadlines_read_as_printed():
    with translation.override("sq"):
        assert str(Deadline(kind="recurrence", every_months=2)) == "çdo 2 muaj"
        assert str(Deadline(kind="all_year")) == "gjatë gjithë vitit"
        assert str(Deadline(kind="period", period="h1")) == "në gjashtëmujorin e parë"


# --- the title -----------------------------------------------------------------------------------------


def test_the_title_is_the_guides_by_default_and_editable(version):
    with translation.override("en"):
        assert version.display_title == (
            "Joint inter-institutional plan for crime prevention in the Municipality of Elbasan"
        )
    title = "Plani i përbashkët ndërinstitucional për parandalimin e krimit në Bashkinë Elbasan 2026"
    services.version_retitle(version=version, title=f"  {title}\x07 ")
    version.refresh_from_db()
    assert version.display_title == title
    services.version_retitle(version=version, title="")
    version.refresh_from_db()
    assert version.title == ""


def test_an_approved_versions_title_and_rows_never_change(approved, officers):
    with pytest.raises(ValidationError):
        services.version_retitle(version=approved, title="Tjetër")
    problem = approved.problems.first()
    with pytest.raises(ValidationError):
        services.problem_update(problem=problem, new_actors=["OJF"])


@pytest.mark.parametrize("relation", ["institutions", "actors"])
def test_the_database_refuses_a_change_to_an_approved_rows_institutions_or_actors(
    approved, officers, relation
):
    problem = approved.problems.first()
    added = (
        officers["police"]
        if relation == "institutions"
        else Actor.objects.create(council=approved.plan.council, name="OJF", key="ojf")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        getattr(problem, relation).add(added)


def test_the_database_refuses_a_change_to_an_approved_activitys_actors(approved):
    activity = approved.problems.first().activities.first()
    actor = Actor.objects.create(council=approved.plan.council, name="OJF", key="ojf")
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.actors.add(actor)
