"""Reads for the published plan (its page, files and link card), for the pages that point at it and
for the editor's table, each in a fixed number of queries whatever the plan's size."""

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery

from consultations.models import Concern

from .models import Activity, Indicator, Plan, PlanProblem, PlanVersion, Publication
from .ordering import in_named_order

Status = PlanVersion.Status


def public_versions() -> QuerySet:
    """Approved (published) versions with what the page header shows, plus the plan's newest
    approved number and a stamp of its publications record: what the page cache key needs to
    notice a newer version or a new publication, in the same single query."""
    return _stamps().select_related("plan__council__municipality__county", "meeting", "decision")


def page_stamp(slug: str, year: int, number: int | None = None) -> tuple | None:
    """What the published plan's page at an address depends on, in one small query: the version's
    id, the plan's newest approved number and its publications record (count, last change). None
    when nothing is published there."""
    versions = _stamps().filter(plan__council__municipality__slug=slug, plan__year=year)
    if number is not None:
        versions = versions.filter(number=number)
    return (
        versions.order_by("-number")
        .values_list("pk", "newest_number", "publications_count", "publications_stamp")
        .first()
    )


def _stamps() -> QuerySet:
    approved_of_plan = PlanVersion.objects.filter(plan=OuterRef("plan"), status=Status.APPROVED)
    publications = Publication.objects.filter(plan=OuterRef("plan")).order_by().values("plan")
    return PlanVersion.objects.published().annotate(
        newest_number=Subquery(approved_of_plan.order_by("-number").values("number")[:1]),
        publications_stamp=Subquery(publications.annotate(last=Max("updated_at")).values("last")[:1]),
        publications_count=Subquery(publications.annotate(n=Count("pk")).values("n")[:1]),
    )


def published_version(slug: str, year: int, number: int | None = None) -> PlanVersion | None:
    """The approved version ``number`` of a council's plan of ``year``, or the newest approved one
    when ``number`` is None. Drafts and submitted versions are never found."""
    versions = public_versions().filter(plan__council__municipality__slug=slug, plan__year=year)
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def newest_published_year(slug: str) -> int | None:
    """The newest year of a council with an approved plan version."""
    return (
        Plan.objects.filter(council__municipality__slug=slug, versions__status=Status.APPROVED)
        .aggregate(year=Max("year"))
        .get("year")
    )


def named_prefetches(prefix: str = "") -> list[Prefetch]:
    """The rows' institutions and actors and their activities' partners and actors, each in the
    order named (plans/ordering.py); ``prefix`` leads to the rows (e.g. "problems__")."""
    return [
        Prefetch(f"{prefix}institutions", queryset=in_named_order(PlanProblem, "institutions")),
        Prefetch(f"{prefix}actors", queryset=in_named_order(PlanProblem, "actors")),
        Prefetch(f"{prefix}activities__partners", queryset=in_named_order(Activity, "partners")),
        Prefetch(f"{prefix}activities__actors", queryset=in_named_order(Activity, "actors")),
    ]


def plan_rows(version: PlanVersion) -> list[PlanProblem]:
    """The version's problems in order, with their activities (lead, partners) and indicators, the
    names responsible in the order named: seven queries whatever the plan's size."""
    activities = Activity.objects.select_related("lead").prefetch_related("indicators")
    return list(
        version.problems.order_by("position")
        .select_related("unit")
        .prefetch_related(
            Prefetch("activities", queryset=activities.order_by("position")), *named_prefetches()
        )
    )


def version_history(plan: Plan) -> list[PlanVersion]:
    """Every approved version of the plan, oldest first, with its decision."""
    return list(plan.versions.published().select_related("meeting", "decision").order_by("number"))


def publications(plan: Plan) -> list[Publication]:
    """Where member institutions published the plan, by institution name."""
    return list(plan.publications.select_related("institution").order_by("institution__name"))


def plan_rows_from_consultation(council, problem_ids) -> dict[int, PlanProblem]:
    """For a council's consultation problems: the plan row each became in the newest approved
    version that contains it (the newest year first), keyed by the problem's id. One query."""
    rows = (
        PlanProblem.objects.filter(
            version__status=Status.APPROVED,
            version__plan__council=council,
            source_problem_id__in=list(problem_ids),
        )
        .select_related("version__plan__council__municipality")
        .order_by("source_problem_id", "-version__plan__year", "-version__number")
    )
    found: dict[int, PlanProblem] = {}
    for row in rows:
        if row.source_problem_id is not None:  # always, by the filter: for the type checker
            found.setdefault(row.source_problem_id, row)
    return found


def concerns_unit_id(problem) -> int | None:
    """The administrative unit all the published concerns of a consultation problem name, if they
    name one and the same (a row pulled from it starts there); else None. One query."""
    published = problem.concerns.filter(status=Concern.Status.PUBLISHED).order_by()
    units = set(published.values_list("unit_id", flat=True).distinct()[:2])
    return units.pop() if len(units) == 1 else None


def plan_problems(version: PlanVersion) -> QuerySet:
    """The rows of a version with everything the editor's Table 1 shows (each problem's number of
    concerns, its activities with lead, partners and indicators), in a fixed number of queries."""
    activities = Activity.objects.order_by("position").select_related("lead")
    return (
        version.problems.order_by("position")
        .select_related("unit")
        .annotate(concern_count=Count("concerns"))
        .prefetch_related(
            Prefetch("activities", queryset=activities),
            *named_prefetches(),
            Prefetch("activities__indicators", queryset=Indicator.objects.order_by("position")),
        )
    )


def council_plans(council, *, drafts: bool) -> QuerySet:
    """The council's plans, each with its versions newest first in ``shown_versions``: every
    version with ``drafts``, else the approved ones only."""
    versions = PlanVersion.objects.select_related("meeting", "decision").order_by("-number")
    if not drafts:
        versions = versions.filter(status=Status.APPROVED)
    return Plan.objects.filter(council=council).prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="shown_versions")
    )
