"""Writes on plans. Each validates, then writes in one transaction.

Allowed status changes live in ``STEPS``. Only a draft is edited; an approved version never changes
(here, and by database triggers: migration 0002). "Revise" copies an approved version into a new
draft with the same lineage ids; a plan has at most one open (draft or submitted) version.
Submitting, returning and approving a version are in plans/approval.py.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.models import Concern
from consultations.models import Problem as ConsultationProblem
from consultations.taxonomy import checked_category, successors
from councils.models import AdministrativeUnit, Council, Institution
from councils.selectors import seated_institutions
from kvsp.core import public_cache
from kvsp.core.exports import without_control_characters

from . import selectors
from .actors import actors_named
from .deadlines import clean_deadline
from .groups import clean_groups
from .models import Activity, Actor, Indicator, Plan, PlanProblem, PlanVersion, Publication
from .money import clean_money
from .ordering import name_in_order, named
from .tags import Disaggregation

Status = PlanVersion.Status
STEPS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.DRAFT, Status.APPROVED},
    Status.APPROVED: set(),
}


class VersionLocked(ValidationError):
    """The version is not a draft: nothing in it may change."""


class RowConflict(ValidationError):
    """Someone else saved the row since this form was opened (SECURITY.md #4: no lost update)."""

    def __init__(self, current: str):
        super().__init__(
            _(
                "Someone else saved this row while you were editing it. Your changes are below: "
                "save again to replace theirs, or cancel to keep theirs."
            )
        )
        self.current = current


def row_revision(row) -> str:
    """What an edit form carries to detect a change made meanwhile: the row's last save."""
    return row.updated_at.isoformat()


def _check_revision(row, revision: str | None) -> None:
    if revision and revision != row_revision(row):
        raise RowConflict(row_revision(row))


def _locked_version(version: PlanVersion) -> PlanVersion:
    return PlanVersion.objects.select_for_update().select_related("plan__council").get(pk=version.pk)


def _editable(version: PlanVersion) -> PlanVersion:
    version = _locked_version(version)
    if version.status != Status.DRAFT:
        raise VersionLocked(_("Only a draft can be edited. Revise the approved version to change it."))
    return version


def _step(version: PlanVersion, wanted: str, message: str) -> None:
    if wanted not in STEPS[version.status]:
        raise ValidationError(message)


def _seated(council: Council) -> set[int]:
    return set(seated_institutions(council).values_list("pk", flat=True))


# --- plans and versions ------------------------------------------------------------------------


@transaction.atomic
@public_cache.invalidates
def plan_start(*, council: Council, year: int) -> PlanVersion:
    """The year's plan with its first draft (or the open version if there is one)."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    plan, _created = Plan.objects.get_or_create(council=council, year=year)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    open_version = plan.versions.filter(status__in=PlanVersion.OPEN_STATUSES).first()
    if open_version:
        return open_version
    if plan.versions.exists():
        raise ValidationError(_("This year's plan is approved: revise it to make changes."))
    return PlanVersion.objects.create(plan=plan, number=1)


@transaction.atomic
@public_cache.invalidates
def version_revise(*, version: PlanVersion, note: str = "") -> PlanVersion:
    """Copy an approved version into a new draft: same rows, same lineage ids."""
    version = _locked_version(version)
    if version.status != Status.APPROVED:
        raise ValidationError(_("Only an approved version is revised."))
    plan = Plan.objects.select_for_update().get(pk=version.plan_id)
    if plan.versions.published().filter(number__gt=version.number).exists():
        raise ValidationError(_("A newer version was approved since: revise that one."))
    if plan.versions.filter(status__in=PlanVersion.OPEN_STATUSES).exists():
        raise ValidationError(_("This plan already has a version being prepared: finish that one first."))
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    draft = PlanVersion.objects.create(
        plan=plan, number=number, based_on=version, note=note.strip(), title=version.title
    )
    merged = successors()
    for problem in version.problems.prefetch_related(
        "concerns", *selectors.named_prefetches(), "activities__indicators"
    ):
        copy = PlanProblem.objects.create(
            version=draft,
            lineage=problem.lineage,
            position=problem.position,
            number=problem.number,
            title=problem.title,
            description=problem.description,
            statistics=problem.statistics,
            statistics_source=problem.statistics_source,
            provenance=problem.provenance,
            priority=problem.priority,
            source_problem_id=problem.source_problem_id,
            groups=problem.groups,
            unit_id=problem.unit_id,
            category_id=merged.get(problem.category_id, problem.category_id),
            **_deadline_of(problem),
        )
        copy.concerns.set(problem.concerns.all())
        name_in_order(copy, "institutions", problem.institutions.all())  # in the order named
        name_in_order(copy, "actors", problem.actors.all())
        for activity in problem.activities.all():
            activity_copy = Activity.objects.create(
                problem=copy,
                lineage=activity.lineage,
                position=activity.position,
                text=activity.text,
                lead_id=activity.lead_id,
                groups=activity.groups,
                estimated_cost=activity.estimated_cost,
                funding_source=activity.funding_source,
                funder=activity.funder,
                **_deadline_of(activity),
            )
            name_in_order(activity_copy, "partners", activity.partners.all())
            name_in_order(activity_copy, "actors", activity.actors.all())
            for indicator in activity.indicators.all():
                Indicator.objects.create(
                    activity=activity_copy,
                    lineage=indicator.lineage,
                    position=indicator.position,
                    name=indicator.name,
                    unit=indicator.unit,
                    baseline=indicator.baseline,
                    target=indicator.target,
                    frequency=indicator.frequency,
                    disaggregation=indicator.disaggregation,
                )
    return draft


DEADLINE_FIELDS = ("deadline_kind", "deadline_date", "deadline_period", "deadline_every_months")


def _deadline_of(row) -> dict:
    return {name: getattr(row, name) for name in DEADLINE_FIELDS}


def _problems_errors(version: PlanVersion) -> list[str]:
    """What keeps a version from going to the chair: no row, a row without activities, an
    activity with no deadline or no one responsible (neither its own nor its row's)."""
    errors = []
    problems = list(
        version.problems.prefetch_related(
            "institutions", "actors", "activities__partners", "activities__actors"
        )
    )
    if not problems:
        errors.append(_("The plan has no problem yet."))
    for problem in problems:
        if not problem.activities.all():
            errors.append(_("Problem %(number)s has no activity.") % {"number": problem.number})
        for index, activity in enumerate(problem.activities.all(), start=1):
            number = {"number": f"{problem.number}.{index}"}
            if not activity.deadline.kind:
                errors.append(
                    _("Activity %(number)s has no deadline: give one on it or on its row.") % number
                )
            if not activity.responsible:
                errors.append(
                    _("Activity %(number)s names no one responsible: name them on it or on its row.") % number
                )
    return errors


# --- rows --------------------------------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def _check_number(version: PlanVersion, number: str, exclude: int | None = None) -> str:
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the row a number, for example 1.4.")})
    clash = version.problems.filter(number=number)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"number": _("Another problem of this version has this number.")})
    return number


# A row's text fields (what the Excel import fills), then its deadline (the row's, for its activities).
PROBLEM_TEXT_FIELDS = (
    "number",
    "title",
    "description",
    "statistics",
    "statistics_source",
    "provenance",
    "priority",
)
PROBLEM_FIELDS = (*PROBLEM_TEXT_FIELDS, *DEADLINE_FIELDS)
# Who is responsible for the row: member institutions, actors of the council's list, and names
# typed for actors (an existing actor whatever the case or accents, else a new one).
RESPONSIBLE_FIELDS = ("institutions", "actors", "new_actors")


def _unit(council: Council, unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """Where the row's problem is: a unit of the council's municipality, or None (the whole
    municipality)."""
    if unit in (None, ""):
        return None
    if not isinstance(unit, AdministrativeUnit) or unit.municipality_id != council.municipality_id:
        raise ValidationError({"unit": _("Choose an administrative unit of this municipality.")})
    return unit


def _responsible(council: Council, fields: dict) -> tuple[list[Institution], list[Actor]]:
    """The row's or activity's institutions (seated on the council) and actors (the council's)."""
    institutions = list(fields.get("institutions") or fields.get("partners") or [])
    if any(i.pk not in _seated(council) for i in institutions):
        key = "institutions" if "institutions" in fields else "partners"
        raise ValidationError({key: _("Choose institutions that sit on this council.")})
    actors = list(fields.get("actors") or [])
    if any(actor.council_id != council.pk for actor in actors):
        raise ValidationError({"actors": _("Choose actors of this council's list.")})
    named = actors_named(council=council, names=fields.get("new_actors") or [])
    return institutions, list(dict.fromkeys(actors + named))


@transaction.atomic
@public_cache.invalidates
def problem_add(*, version: PlanVersion, **fields) -> PlanProblem:
    """A row, with its number as the secretary typed it (1.2, 1.4, 1.5, 1.7 stay as they are)."""
    version = _editable(version)
    responsible = {key: fields.pop(key, None) for key in RESPONSIBLE_FIELDS}
    concerns = fields.pop("concerns", [])
    fields = {name: fields.get(name, "") for name in PROBLEM_FIELDS} | fields
    fields |= _validate_problem(fields)
    fields["number"] = _check_number(version, fields["number"])
    fields["groups"] = clean_groups(fields.get("groups"))
    fields["unit"] = _unit(version.plan.council, fields.get("unit"))
    fields["category"] = checked_category(fields.get("category"))
    institutions, actors = _responsible(version.plan.council, responsible)
    problem = PlanProblem.objects.create(
        version=version, position=_next_position(version.problems), **_stripped(fields)
    )
    if concerns:
        problem.concerns.set(concerns)
    name_in_order(problem, "institutions", institutions)  # in the order typed or ticked
    name_in_order(problem, "actors", actors)
    return problem


def _validate_problem(fields: dict) -> dict:
    """Checks a row's fields; gives its deadline's values to store. The source of the statistics
    is optional (the guide's Table 1 gives it inside the text or not at all)."""
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Name the problem.")
    if fields.get("priority") not in ("high", "moderate", "low"):
        errors["priority"] = _("Choose the priority: high, moderate or low.")
    deadline, deadline_errors = clean_deadline(fields, required=False)
    errors |= deadline_errors
    if errors:
        raise ValidationError(errors)
    return deadline


def _stripped(fields: dict) -> dict:
    return {
        key: without_control_characters(value).strip() if isinstance(value, str) else value
        for key, value in fields.items()
    }


@transaction.atomic
@public_cache.invalidates
def problem_update(*, problem: PlanProblem, revision: str | None = None, **fields) -> PlanProblem:
    _editable(problem.version)
    problem = PlanProblem.objects.select_for_update().get(pk=problem.pk)
    _check_revision(problem, revision)
    responsible = {key: fields.pop(key) for key in RESPONSIBLE_FIELDS if key in fields}
    merged = {name: getattr(problem, name) for name in PROBLEM_FIELDS} | fields
    merged |= _validate_problem(merged)
    merged["number"] = _check_number(problem.version, merged["number"], exclude=problem.pk)
    if "groups" in merged:  # given: replaces the row's; not given: kept
        merged["groups"] = clean_groups(merged["groups"])
    if "unit" in merged:  # given: replaces the row's (None: the whole municipality); not given: kept
        merged["unit"] = _unit(problem.version.plan.council, merged["unit"])
    if "category" in merged:  # given: replaces the row's; not given: kept
        merged["category"] = checked_category(merged["category"], current=problem.category_id)
    for name, value in _stripped(merged).items():
        setattr(problem, name, value)
    problem.save()
    if responsible:  # given: replaces the row's; not given: kept
        responsible.setdefault("institutions", named(problem, "institutions"))
        responsible.setdefault("actors", named(problem, "actors"))
        institutions, actors = _responsible(problem.version.plan.council, responsible)
        name_in_order(problem, "institutions", institutions)
        name_in_order(problem, "actors", actors)
    return problem


@transaction.atomic
@public_cache.invalidates
def problem_remove(*, problem: PlanProblem) -> None:
    _editable(problem.version)
    problem.delete()


DIRECTIONS = ("up", "down")


def _move(item, siblings, direction: str) -> None:
    """Swap ``item`` with its neighbour above ("up") or below ("down"); at either end, nothing."""
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": _("Choose up or down.")})
    ordered = list(siblings.select_for_update().order_by("position"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(ordered):
        return
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    for position, row in enumerate(ordered, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])


@transaction.atomic
@public_cache.invalidates
def problem_move(*, problem: PlanProblem, direction: str) -> None:
    _editable(problem.version)
    _move(problem, problem.version.problems.all(), direction)


def _provenance(problem: ConsultationProblem) -> str:
    """Stored in the plan, so in the plan's language (Albanian), not the editor's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("from the open consultation of %(date)s") % {
            "date": timezone.localtime(problem.consultation.starts_at).strftime("%d.%m.%Y")
        }


@transaction.atomic
@public_cache.invalidates
def problems_pull(*, version: PlanVersion, problems: Iterable[ConsultationProblem]) -> list[PlanProblem]:
    """Bring problems the SKN selected for the plan in a consultation's prioritisation into the
    draft, with their published concerns; each only once per version."""
    version = _editable(version)
    council = version.plan.council
    taken = set(version.problems.exclude(source_problem=None).values_list("source_problem_id", flat=True))
    rows, merged = [], successors()
    last = version.problems.count()
    for problem in problems:
        if problem.council_id != council.pk or problem.outcome != ConsultationProblem.Outcome.IN_PLAN:
            raise ValidationError(_("Choose problems this council selected for the plan."))
        if problem.pk in taken:
            continue
        last += 1
        number = f"1.{last}"
        while version.problems.filter(number=number).exists():
            last += 1
            number = f"1.{last}"
        row = PlanProblem.objects.create(
            version=version,
            position=_next_position(version.problems),
            number=number,
            title=problem.title,
            description=problem.description,
            statistics=problem.statistics,
            statistics_source=problem.statistics_source,
            priority=problem.intensity or "moderate",
            source_problem=problem,
            provenance=_provenance(problem),
            unit_id=selectors.concerns_unit_id(problem),
            category_id=merged.get(problem.category_id, problem.category_id),  # proposed; merged: successor
        )
        row.concerns.set(Concern.objects.filter(problem=problem, status=Concern.Status.PUBLISHED))
        rows.append(row)
    return rows


ACTIVITY_FIELDS = ("text", "lead", *DEADLINE_FIELDS)


def _validate_activity(problem: PlanProblem, fields: dict) -> dict:
    """An activity's text, optional lead (seated on the council) and deadline (needed when its row
    has none); gives the deadline's values to store."""
    errors = {}
    if not (fields.get("text") or "").strip():
        errors["text"] = _("Describe the activity.")
    lead = fields.get("lead")
    if lead is not None and lead.pk not in _seated(problem.version.plan.council):
        errors["lead"] = _("Choose institutions that sit on this council.")
    deadline, deadline_errors = clean_deadline(fields, required=not problem.deadline_kind)
    errors |= deadline_errors
    if errors:
        raise ValidationError(errors)
    return deadline


def _activity_people(activity: Activity, council: Council, fields: dict) -> None:
    partners, actors = _responsible(
        council,
        {
            "partners": fields.get("partners") or [],
            "actors": fields.get("actors"),
            "new_actors": fields.get("new_actors"),
        },
    )
    name_in_order(activity, "partners", [p for p in partners if p.pk != activity.lead_id])
    name_in_order(activity, "actors", actors)


@transaction.atomic
@public_cache.invalidates
def activity_add(*, problem: PlanProblem, **fields) -> Activity:
    """An activity; without a lead, partners or actors of its own it has its row's, without a
    deadline its row's (``Activity.responsible``, ``Activity.deadline``)."""
    version = _editable(problem.version)
    problem = PlanProblem.objects.get(pk=problem.pk)
    deadline = _validate_activity(problem, fields)
    money = clean_money(fields)
    activity = Activity.objects.create(
        problem=problem,
        position=_next_position(problem.activities),
        text=without_control_characters(fields["text"]).strip(),
        lead=fields.get("lead"),
        groups=clean_groups(fields.get("groups")),
        **deadline,
        **money,
    )
    _activity_people(activity, version.plan.council, fields)
    return activity


@transaction.atomic
@public_cache.invalidates
def activity_update(*, activity: Activity, revision: str | None = None, **fields) -> Activity:
    version = _editable(activity.problem.version)
    activity = Activity.objects.select_for_update().select_related("problem").get(pk=activity.pk)
    _check_revision(activity, revision)
    deadline = _validate_activity(activity.problem, fields)
    money = clean_money(fields, activity)
    activity.text = without_control_characters(fields["text"]).strip()
    activity.lead = fields.get("lead")
    if "groups" in fields:  # given: replaces the activity's; not given: kept
        activity.groups = clean_groups(fields["groups"])
    for name, value in (deadline | money).items():
        setattr(activity, name, value)
    activity.save()
    _activity_people(activity, version.plan.council, fields)
    return activity


@transaction.atomic
@public_cache.invalidates
def version_retitle(*, version: PlanVersion, title: str) -> PlanVersion:
    """The plan's title as the draft gives it; empty: the guide's."""
    version = _editable(version)
    title = " ".join(without_control_characters(title or "").split())
    if len(title) > 300:
        raise ValidationError({"title": _("Keep the title under 300 characters.")})
    version.title = title
    version.save(update_fields=["title", "updated_at"])
    return version


@transaction.atomic
@public_cache.invalidates
def activity_remove(*, activity: Activity) -> None:
    _editable(activity.problem.version)
    activity.delete()


@transaction.atomic
@public_cache.invalidates
def activity_move(*, activity: Activity, direction: str) -> None:
    _editable(activity.problem.version)
    _move(activity, activity.problem.activities.all(), direction)


INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "frequency", "disaggregation")


def _validate_indicator(fields: dict) -> None:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("Name the indicator.")
    if fields.get("frequency") not in Indicator.Frequency.values:
        errors["frequency"] = _("Choose how often it is measured.")
    if (fields.get("disaggregation") or "") not in ("", *Disaggregation.values):
        errors["disaggregation"] = _("Choose how its values are split: by sex, by age band, both or not.")
    if errors:
        raise ValidationError(errors)


INDICATOR_DEFAULTS = dict.fromkeys(INDICATOR_FIELDS, "") | {"baseline": None, "target": None}


@transaction.atomic
@public_cache.invalidates
def indicator_add(*, activity: Activity, **fields) -> Indicator:
    _editable(activity.problem.version)
    values = {name: fields.get(name, INDICATOR_DEFAULTS[name]) for name in INDICATOR_FIELDS}
    values["unit"] = values["unit"] or ""
    values["disaggregation"] = values["disaggregation"] or ""
    _validate_indicator(values)
    return Indicator.objects.create(
        activity=activity, position=_next_position(activity.indicators), **_stripped(values)
    )


@transaction.atomic
@public_cache.invalidates
def indicator_update(*, indicator: Indicator, revision: str | None = None, **fields) -> Indicator:
    """Change the fields given; the others keep their values."""
    _editable(indicator.activity.problem.version)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _check_revision(indicator, revision)
    values = {name: fields.get(name, getattr(indicator, name)) for name in INDICATOR_FIELDS}
    values["unit"] = values["unit"] or ""
    values["disaggregation"] = values["disaggregation"] or ""
    _validate_indicator(values)
    for name, value in _stripped(values).items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


@transaction.atomic
@public_cache.invalidates
def indicator_remove(*, indicator: Indicator) -> None:
    _editable(indicator.activity.problem.version)
    indicator.delete()


# --- publication by member institutions --------------------------------------------------------


@transaction.atomic
@public_cache.invalidates
def publication_record(*, plan: Plan, institution: Institution, url: str, published_on: date) -> Publication:
    """Record (or correct) where an institution published the plan on its own website."""
    if not plan.versions.published().exists():
        raise ValidationError(_("The plan has no approved version yet: there is nothing to publish."))
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The date cannot be in the future.")})
    if institution.pk not in _seated(plan.council):
        raise ValidationError({"institution": _("Choose institutions that sit on this council.")})
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": _("Give the full address, starting with https://.")})
    publication, _created = Publication.objects.update_or_create(
        plan=plan, institution=institution, defaults={"url": url.strip(), "published_on": published_on}
    )
    return publication
