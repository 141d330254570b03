"""The plan's services: the workflow table (draft -> submitted -> approved, submitted -> draft), one
open version per plan, "revise" keeping lineage ids, an approved version that refuses every edit in
the services and in the database, compare() matching rows by lineage, and deadlines in words.

Approval queues the PDF task on commit; the test transaction never commits, so it never runs."""

import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from councils.models import Institution
from plans import approval, services
from plans.compare import compare
from plans.deadlines import Deadline
from plans.models import Activity, Indicator, Plan, PlanProblem, PlanVersion
from plans.services import VersionLocked
from tests.builders import YEAR, approve, plan_tree, record_decision

# --- workflow ------------------------------------------------------------------------------------


def _at(status, draft, officers, meeting) -> PlanVersion:
    if status in ("submitted", "approved"):
        approval.version_submit(version=draft, user=officers["skn"])
        # Submitted before the meeting of yesterday, whose decision may then approve it.
        PlanVersion.objects.filter(pk=draft.pk).update(submitted_at=meeting.starts_at - timedelta(hours=1))
    if status == "approved":
        approval.version_approve(version=draft, user=officers["chair"], decision=record_decision(meeting))
    draft.refresh_from_db()
    assert draft.status == status
    return draft


STEPS = {
    "submit": lambda v, o, m: approval.version_submit(version=v, user=o["skn"]),
    "return": lambda v, o, m: approval.version_return(version=v, comment="Shtoni treguesit."),
    "approve": lambda v, o, m: approval.version_approve(
        version=v, user=o["chair"], decision=record_decision(m)
    ),
}
# (status before, step) -> status after; None: refused.
WORKFLOW = {
    ("draft", "submit"): "submitted",
    ("draft", "return"): None,
    ("draft", "approve"): None,
    ("submitted", "submit"): None,
    ("submitted", "return"): "draft",
    ("submitted", "approve"): "approved",
    ("approved", "submit"): None,
    ("approved", "return"): None,
    ("approved", "approve"): None,
}


@pytest.mark.parametrize(("status", "step"), list(WORKFLOW))
def test_the_workflow_table(status, step, draft, officers, meeting):
    version = _at(status, draft, officers, meeting)
    expected = WORKFLOW[(status, step)]
    if expected is None:
        with pytest.raises(ValidationError):
            STEPS[step](version, officers, meeting)
        version.refresh_from_db()
        assert version.status == status
    else:
        STEPS[step](version, officers, meeting)
        version.refresh_from_db()
        assert version.status == expected


def test_submit_needs_problems_each_with_an_activity(elbasan, officers):
    version = services.plan_start(council=elbasan, year=YEAR)
    with pytest.raises(ValidationError, match="asnjë problematikë"):
        approval.version_submit(version=version, user=officers["skn"])
    services.problem_add(version=version, number="1.1", title="Vjedhje", priority="low")
    with pytest.raises(ValidationError, match=r"1\.1"):
        approval.version_submit(version=version, user=officers["skn"])
    assert PlanVersion.objects.get(pk=version.pk).status == "draft"


def test_returning_needs_a_comment_and_keeps_it_on_the_draft(draft, officers):
    approval.version_submit(version=draft, user=officers["skn"])
    with pytest.raises(ValidationError):
        approval.version_return(version=draft, comment="   ")
    approval.version_return(version=draft, comment="  Shtoni burimin e statistikave. ")
    draft.refresh_from_db()
    assert (draft.status, draft.returned_comment) == ("draft", "Shtoni burimin e statistikave.")


def test_one_open_version_per_plan(elbasan, draft, officers, meeting):
    assert services.plan_start(council=elbasan, year=YEAR) == draft  # the open draft, not another
    approve(draft, officers, meeting)
    with pytest.raises(ValidationError):
        services.plan_start(council=elbasan, year=YEAR)  # approved: revise it instead
    second = services.version_revise(version=draft)
    with pytest.raises(ValidationError):
        services.version_revise(version=draft)  # the revision is still open
    assert services.plan_start(council=elbasan, year=YEAR) == second
    # The database holds the rule too, whatever code runs.
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(plan=draft.plan, number=9)
    assert list(Plan.objects.get().versions.values_list("number", "status")) == [
        (1, "approved"),
        (2, "draft"),
    ]


def test_only_an_approved_version_is_revised(draft, officers):
    with pytest.raises(ValidationError):
        services.version_revise(version=draft)
    approval.version_submit(version=draft, user=officers["skn"])
    with pytest.raises(ValidationError):
        services.version_revise(version=draft)


def test_revise_copies_every_row_with_its_lineage(approved):
    revision = services.version_revise(version=approved, note=" Pas konsultimit të vjeshtës ")
    assert (revision.number, revision.status, revision.based_on, revision.note) == (
        2,
        "draft",
        approved,
        "Pas konsultimit të vjeshtës",
    )
    assert plan_tree(revision) == plan_tree(approved)
    old_ids = set(PlanProblem.objects.filter(version=approved).values_list("pk", flat=True))
    assert old_ids.isdisjoint(revision.problems.values_list("pk", flat=True))
    assert Activity.objects.filter(problem__version=revision).count() == 4
    assert Indicator.objects.filter(activity__problem__version=revision).count() == 2


# --- an approved version never changes -------------------------------------------------------------


def _edits(version, officers, selected):
    problem = version.problems.first()
    activity = problem.activities.first()
    indicator = activity.indicators.first()
    return {
        "problem_add": lambda: services.problem_add(version=version, number="9.9", title="X", priority="low"),
        "problem_update": lambda: services.problem_update(problem=problem, title="Tjetër"),
        "problem_remove": lambda: services.problem_remove(problem=problem),
        "problem_move": lambda: services.problem_move(problem=problem, direction="down"),
        "problems_pull": lambda: services.problems_pull(version=version, problems=[selected]),
        "activity_add": lambda: services.activity_add(
            problem=problem, text="X", lead=officers["police"], deadline_kind="all_year"
        ),
        "activity_update": lambda: services.activity_update(
            activity=activity, text="Tjetër", lead=officers["police"], deadline_kind="all_year"
        ),
        "activity_remove": lambda: services.activity_remove(activity=activity),
        "activity_move": lambda: services.activity_move(activity=activity, direction="down"),
        "indicator_add": lambda: services.indicator_add(activity=activity, name="X", frequency="annual"),
        "indicator_update": lambda: services.indicator_update(indicator=indicator, name="Tjetër"),
        "indicator_remove": lambda: services.indicator_remove(indicator=indicator),
    }


EDITS = [
    "problem_add",
    "problem_update",
    "problem_remove",
    "problem_move",
    "problems_pull",
    "activity_add",
    "activity_update",
    "activity_remove",
    "activity_move",
    "indicator_add",
    "indicator_update",
    "indicator_remove",
]


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_only_a_draft_is_edited(edit, status, draft, officers, meeting, selected):
    version = _at(status, draft, officers, meeting)
    before = plan_tree(version)
    with pytest.raises(VersionLocked):
        _edits(version, officers, selected)[edit]()
    assert plan_tree(version) == before


@pytest.mark.parametrize(
    "write",
    [
        lambda v, o, s: PlanProblem.objects.filter(version=v).update(title="x"),
        lambda v, o, s: Activity.objects.filter(problem__version=v).update(text="x"),
        lambda v, o, s: Indicator.objects.filter(activity__problem__version=v).update(name="x"),
        lambda v, o, s: PlanVersion.objects.filter(pk=v.pk).update(decision_number="99"),
        lambda v, o, s: PlanVersion.objects.filter(pk=v.pk).update(status="draft"),
        lambda v, o, s: PlanProblem.objects.create(
            version=v, position=9, number="9.9", title="x", priority="low"
        ),
        lambda v, o, s: Activity.objects.filter(problem__version=v).first().partners.add(o["municipality"]),
        lambda v, o, s: PlanProblem.objects.filter(version=v).first().concerns.add(*s.concerns.all()),
    ],
    ids=["problem", "activity", "indicator", "version", "status", "new-row", "partners", "concerns"],
)
def test_the_database_refuses_to_change_an_approved_version(write, approved, officers, selected):
    before = plan_tree(approved)
    with pytest.raises(DatabaseError), transaction.atomic():
        write(approved, officers, selected)
    number = approved.decision_number
    approved.refresh_from_db()
    assert approved.status == "approved" and approved.decision_number == number
    assert plan_tree(approved) == before


def test_the_database_lets_a_draft_change(draft):
    assert PlanProblem.objects.filter(version=draft).update(title="x") == 2
    assert Activity.objects.filter(problem__version=draft).update(text="x") == 4


# --- rows ------------------------------------------------------------------------------------------


def test_rows_are_added_edited_moved_and_removed(draft, officers):
    first, second = draft.problems.order_by("position")
    services.problem_move(problem=second, direction="up")
    assert list(draft.problems.order_by("position").values_list("number", flat=True)) == ["1.2", "1.1"]
    services.problem_move(problem=second, direction="up")  # already first: nothing happens
    assert list(draft.problems.order_by("position").values_list("number", flat=True)) == ["1.2", "1.1"]
    with pytest.raises(ValidationError):
        services.problem_move(problem=second, direction="sideways")
    with pytest.raises(ValidationError, match="number"):
        services.problem_update(problem=second, number="1.1")
    with pytest.raises(ValidationError, match="deadline_every_months"):
        services.problem_update(problem=second, deadline_kind="recurrence")
    services.problem_update(problem=second, number=" 1.7 ", title=" Dhuna në familje ")
    second.refresh_from_db()
    assert (second.number, second.title) == ("1.7", "Dhuna në familje")
    activity = first.activities.order_by("position").last()
    services.activity_move(activity=activity, direction="up")
    assert first.activities.order_by("position").first() == activity
    services.activity_remove(activity=activity)
    services.problem_remove(problem=first)
    assert list(draft.problems.values_list("number", flat=True)) == ["1.7"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"deadline_kind": "date"}, "deadline_date"),
        ({"deadline_kind": "period", "deadline_period": "q5"}, "deadline_period"),
        ({"deadline_kind": "recurrence", "deadline_every_months": 13}, "deadline_every_months"),
        ({"deadline_kind": "soon"}, "deadline_kind"),
        ({"deadline_kind": "all_year", "text": " "}, "text"),
        ({"deadline_kind": "all_year", "lead": "stranger"}, "lead"),
        ({"deadline_kind": "all_year", "partners": "stranger"}, "partners"),
    ],
)
def test_an_activity_needs_a_complete_deadline_and_seated_institutions(fields, field, draft, officers):
    stranger = Institution.objects.create(name="Institucion jashtë këshillit", category="c")
    fields = {"text": "Patrullim", "lead": officers["police"], **fields}
    if fields["lead"] == "stranger":
        fields["lead"] = stranger
    if fields.get("partners") == "stranger":
        fields["partners"] = [stranger]
    with pytest.raises(ValidationError) as refused:
        services.activity_add(problem=draft.problems.first(), **fields)
    assert field in refused.value.error_dict


def test_an_activity_keeps_only_the_fields_of_its_deadline_and_never_its_lead_as_partner(draft, officers):
    activity = services.activity_add(
        problem=draft.problems.first(),
        text="Patrullim",
        lead=officers["police"],
        partners=[officers["police"], officers["municipality"]],
        deadline_kind="recurrence",
        deadline_every_months=3,
        deadline_date=date(2026, 5, 1),
        deadline_period="h1",
    )
    assert (activity.deadline_date, activity.deadline_period, activity.deadline_every_months) == (None, "", 3)
    assert list(activity.partners.all()) == [officers["municipality"]]


def test_indicators_keep_what_is_not_changed(draft):
    activity = Activity.objects.filter(problem__version=draft).first()
    indicator = services.indicator_add(
        activity=activity, name=" Raste ", baseline=Decimal("4.5"), frequency="annual"
    )
    assert (indicator.name, indicator.unit) == ("Raste", "")
    services.indicator_update(indicator=indicator, target=Decimal("2"))
    indicator.refresh_from_db()
    assert (indicator.name, indicator.baseline, indicator.target) == ("Raste", Decimal("4.5"), Decimal("2"))
    with pytest.raises(ValidationError):
        services.indicator_update(indicator=indicator, frequency="hourly")


def test_pulling_selected_problems_brings_their_concerns_once(draft, selected, elbasan):
    rows = services.problems_pull(version=draft, problems=[selected])
    assert len(rows) == 1
    row = rows[0]
    assert (row.title, row.priority, row.statistics_source, row.source_problem) == (
        "Droga pranë shkollave",
        "high",
        "Policia",
        selected,
    )
    assert row.number == "1.3" and row.provenance
    assert list(row.concerns.all()) == list(selected.concerns.all())
    assert services.problems_pull(version=draft, problems=[selected]) == []  # once per version
    pending = consultation_services.problem_create(consultation=selected.consultation, title="Zhurmë")
    with pytest.raises(ValidationError):
        services.problems_pull(version=draft, problems=[pending])
    assert draft.problems.count() == 3


# --- compare -----------------------------------------------------------------------------------------


def test_compare_matches_rows_by_lineage(approved, officers):
    revision = services.version_revise(version=approved)
    first, second = revision.problems.order_by("position")
    services.problem_update(problem=first, number="2.1")  # renumbered: changed, not removed + added
    activity = first.activities.order_by("position").first()
    services.activity_update(
        activity=activity,
        text="Orë edukative në çdo shkollë",
        lead=officers["prosecution"],
        deadline_kind="all_year",
    )
    services.problem_move(problem=second, direction="up")
    services.activity_remove(activity=second.activities.order_by("position").first())
    services.problem_add(version=revision, number="1.9", title="Trafiku", priority="low")

    with translation.override("en"):
        diffs = {d.row.title: d for d in compare(approved, revision)}
    assert {title: d.kind for title, d in diffs.items()} == {
        "Problemi 1": "changed",
        "Problemi 2": "changed",
        "Trafiku": "added",
    }
    renumbered = diffs["Problemi 1"]
    changes = {c.label: (c.before, c.after) for c in renumbered.changes}
    assert changes["number"] == ("1.1", "2.1")
    assert changes["place in the list"] == ("1", "2")
    edited = renumbered.activities[0]
    assert edited.kind == "changed"
    assert {c.label: (c.before, c.after) for c in edited.changes} == {
        "activity": ("Orë edukative 1", "Orë edukative në çdo shkollë"),
        "deadline": ("in the first six months", "all year"),
    }
    assert [a.kind for a in renumbered.activities] == ["changed", "same"]
    assert [a.kind for a in diffs["Problemi 2"].activities] == ["same", "removed"]

    back = {d.row.title: d.kind for d in compare(revision, approved)}
    assert back == {"Problemi 1": "changed", "Problemi 2": "changed", "Trafiku": "removed"}
    assert {d.kind for d in compare(approved, approved)} == {"same"}


# --- deadlines ---------------------------------------------------------------------------------------

# The Albanian wording the catalogue (locale/sq) gives these phrases; the guide writes "Çdo 2 muaj"
# and "6 Mujori i parë".
DEADLINES = [
    (Deadline("date", day=date(2026, 3, 31)), "deri më 31.03.2026", "by 31/03/2026"),
    (Deadline("period", period="h1"), "në gjashtëmujorin e parë", "in the first six months"),
    (Deadline("period", period="h2"), "në gjashtëmujorin e dytë", "in the second six months"),
    (Deadline("period", period="q1"), "në tremujorin e parë", "in the first quarter"),
    (Deadline("period", period="q2"), "në tremujorin e dytë", "in the second quarter"),
    (Deadline("period", period="q3"), "në tremujorin e tretë", "in the third quarter"),
    (Deadline("period", period="q4"), "në tremujorin e katërt", "in the fourth quarter"),
    (Deadline("recurrence", every_months=1), "çdo muaj", "every month"),
    (Deadline("recurrence", every_months=2), "çdo 2 muaj", "every 2 months"),
    (Deadline("recurrence", every_months=6), "çdo 6 muaj", "every 6 months"),
    (Deadline("all_year"), "gjatë gjithë vitit", "all year"),
]


@pytest.mark.parametrize(("deadline", "albanian", "english"), DEADLINES, ids=[d[2] for d in DEADLINES])
def test_deadlines_read_naturally_in_english(deadline, albanian, english):
    with translation.override("en"):
        assert str(deadline) == english


@pytest.mark.parametrize(("deadline", "albanian", "english"), DEADLINES, ids=[d[2] for d in DEADLINES])
def test_deadlines_read_naturally_in_albanian(deadline, albanian, english):
    with translation.override("sq"):
        assert str(deadline) == albanian


def test_an_incomplete_deadline_reads_as_nothing():
    assert str(Deadline("date")) == str(Deadline("period", period="q9")) == str(Deadline("recurrence")) == ""


@pytest.mark.parametrize(
    ("deadline", "year", "due"),
    [
        (Deadline("date", day=date(2026, 3, 31)), 2026, [date(2026, 3, 31)]),
        (Deadline("period", period="h1"), 2026, [date(2026, 6, 30)]),
        (Deadline("period", period="h2"), 2026, [date(2026, 12, 31)]),
        (Deadline("period", period="q1"), 2026, [date(2026, 3, 31)]),
        (Deadline("period", period="q3"), 2026, [date(2026, 9, 30)]),
        (
            Deadline("recurrence", every_months=2),
            2028,
            [date(2028, m, d) for m, d in ((2, 29), (4, 30), (6, 30), (8, 31), (10, 31), (12, 31))],
        ),
        (Deadline("recurrence", every_months=5), 2026, [date(2026, 5, 31), date(2026, 10, 31)]),
        (Deadline("recurrence", every_months=12), 2026, [date(2026, 12, 31)]),
        (Deadline("all_year"), 2026, [date(2026, 12, 31)]),
        (Deadline("period", period=""), 2026, []),
    ],
)
def test_due_dates(deadline, year, due):
    assert deadline.due_dates(year) == due


def test_activity_deadline_is_the_deadline_of_its_fields(draft):
    activity = Activity.objects.filter(problem__version=draft, deadline_kind="recurrence").first()
    assert activity.deadline == Deadline("recurrence", day=None, period="", every_months=2)
    with translation.override("en"):
        assert str(activity.deadline) == "every 2 months"


def test_pasted_control_characters_are_removed_and_every_file_still_opens(client, draft, officers, meeting):
    row = draft.problems.first()
    services.problem_update(problem=row, title="Droga\x0b te të rinjtë\x07")
    row.refresh_from_db()
    assert row.title == "Droga te të rinjtë"
    # One already stored (from before this fix, or written around the services) still exports.
    PlanProblem.objects.filter(pk=row.pk).update(statistics="63\x0b raste")
    approve(draft, officers, meeting)
    for kind in ("docx", "csv", "json"):
        assert client.get(f"/elbasan/plan/{YEAR}/v1/plan.{kind}").status_code == 200, kind
    client.force_login(officers["skn"])
    assert client.get(f"/app/elbasan/plans/{YEAR}/v1/plan.xlsx").status_code == 200


def test_an_approval_survives_a_broker_outage(
    draft, officers, meeting, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from plans import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.render_plan_files_task, "delay", broker_down)
    caplog.set_level(logging.ERROR)
    with django_capture_on_commit_callbacks(execute=True):
        version = approve(draft, officers, meeting)  # no exception reaches the chair
    version.refresh_from_db()
    assert version.status == "approved"
    assert any("redis down" in str(record.exc_info) for record in caplog.records)


def test_only_the_newest_approved_version_is_revised(approved, officers, meeting):
    second = services.version_revise(version=approved)
    approve(second, officers, meeting)
    with pytest.raises(ValidationError):
        services.version_revise(version=approved)
    assert approved.plan.versions.count() == 2
    assert services.version_revise(version=second).number == 3


def test_a_pulled_problem_s_provenance_is_written_in_albanian(elbasan, officers, draft):
    consultation = consultation_lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() - timedelta(days=3), place="Shushicë"
    )
    problem = consultation_services.problem_create(consultation=consultation, title="Dhuna në familje")
    problem = consultation_services.problem_assess(
        problem=problem,
        title="Dhuna në familje",
        intensity="high",
        institutions=[officers["police"]],
        outcome="in_plan",
    )
    with translation.override("en"):
        (row,) = services.problems_pull(version=draft, problems=[problem])
    expected = timezone.localtime(consultation.starts_at).strftime("%d.%m.%Y")
    with translation.override("sq"):
        assert row.provenance == services._provenance(problem) and expected in row.provenance
    assert "open consultation" not in row.provenance


def test_a_stale_revision_is_refused_by_the_service(draft):
    row = draft.problems.first()
    stale = services.row_revision(row)
    services.problem_update(problem=row, title="E re")
    with pytest.raises(services.RowConflict):
        services.problem_update(problem=row, title="E vjetër", revision=stale)
    row.refresh_from_db()
    assert row.title == "E re"
