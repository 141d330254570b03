"""Where a council's problems are: per administrative unit of its municipality, how many published
concerns name it and how many rows of the plan in force are about it (the council's public page,
"Where the problems are"). Two aggregate queries whatever the number of concerns or rows; only
published concerns are counted, and nothing of a concern but its unit is read."""

from dataclasses import dataclass, field

from django.db.models import Count, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Concern
from councils.models import Council
from plans.models import PlanProblem, PlanVersion

# The chart's geometry (viewBox units): each unit a block of a label line and two bars.
CHART_WIDTH = 400
BAR_MAX = 340  # room after the longest bar for its figure
BLOCK = 50

NOT_GIVEN = _("Unit not given")
WHOLE_MUNICIPALITY = _("The whole municipality")


@dataclass
class UnitCount:
    label: str
    concerns: int | None = 0  # None: does not apply (plan rows for the whole municipality)
    rows: int | None = 0  # None: does not apply (concerns without a unit)
    concern_bar: int = 0
    row_bar: int = 0
    top: int = 0


@dataclass
class WhereProblems:
    units: list[UnitCount] = field(default_factory=list)
    concerns_total: int = 0
    rows_total: int = 0
    plan_year: int | None = None
    plan_version: int | None = None

    @property
    def height(self) -> int:
        return BLOCK * len(self.units)


def _in_force(council: Council):
    """The id of the plan in force: the newest approved version whose decision is dated by today,
    of the newest year up to this one (a subquery: no query of its own)."""
    today = timezone.localdate()
    return Subquery(
        PlanVersion.objects.published()
        .filter(plan__council=council, plan__year__lte=today.year, decision_date__lte=today)
        .order_by("-plan__year", "-number")
        .values("pk")[:1]
    )


def _bar(count: int | None, biggest: int) -> int:
    """A bar's length against the largest of its kind; a count above zero stays visible."""
    if not count or not biggest:
        return 0
    return max(2, round(BAR_MAX * count / biggest))


def where_problems(council: Council) -> WhereProblems:
    """The council's published concerns and rows of the plan in force per administrative unit,
    the most concerns first; concerns without a unit and rows for the whole municipality last."""
    concerns = (
        Concern.objects.filter(council=council, status=Concern.Status.PUBLISHED)
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = (
        PlanProblem.objects.filter(version=_in_force(council))
        .values("unit_id", "unit__name", "version__plan__year", "version__number")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = WhereProblems()
    by_unit: dict[int, UnitCount] = {}
    not_given = whole = None
    for item in concerns:
        if item["unit_id"] is None:
            not_given = UnitCount(str(NOT_GIVEN), concerns=item["n"], rows=None)
        else:
            by_unit[item["unit_id"]] = UnitCount(item["unit__name"], concerns=item["n"])
        result.concerns_total += item["n"]
    for item in rows:
        result.plan_year, result.plan_version = item["version__plan__year"], item["version__number"]
        if item["unit_id"] is None:
            whole = UnitCount(str(WHOLE_MUNICIPALITY), concerns=None, rows=item["n"])
        else:
            by_unit.setdefault(item["unit_id"], UnitCount(item["unit__name"])).rows = item["n"]
        result.rows_total += item["n"]
    units = sorted(by_unit.values(), key=lambda u: (-(u.concerns or 0), -(u.rows or 0), u.label))
    result.units = units + [extra for extra in (not_given, whole) if extra is not None]
    most_concerns = max((u.concerns or 0 for u in result.units), default=0)
    most_rows = max((u.rows or 0 for u in result.units), default=0)
    for index, unit in enumerate(result.units):
        unit.top = index * BLOCK
        unit.concern_bar = _bar(unit.concerns, most_concerns)
        unit.row_bar = _bar(unit.rows, most_rows)
    return result
