"""The national roll-up (issue 24, item 3): what every council is doing about which problems, added
up across councils for a year (or every year) and, if chosen, a county. Public and for the national
observer alike, so only what the public pages show counts:

- **problems**: the rows of approved plans (each plan's newest approved version), by category of
  the national taxonomy (consultations/taxonomy.py; a category merged into another counts there)
  and priority;
- **activities**: those rows' activities by where they stood at the end of the year (today for the
  current year) and how many were overdue then (monitoring/selectors.standing);
- **participation**: who took part in held consultations, by group and gender (what each held
  consultation's public page shows);
- **indicators**: those activities' indicators by whether their latest known value meets the target
  (lower is better when the target is below the baseline);
- **spending**: the activities' estimated costs and spent to date by funding source (plans/money);
- **reports**: the approved (published) annual reports.

``figures`` reads it all in a fixed number of queries whatever the number of councils, plans, rows,
activities, values or consultations, and keeps the result (codes and numbers, no labels) in the
public cache until something public changes. Every figure is kept per council, so each number can
be traced to the councils behind it (``drill``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation, ParticipantGroup, Participation
from consultations.taxonomy import ProblemCategory
from councils.models import Council, County
from kvsp.core import public_cache
from plans.models import Activity, Indicator, PlanProblem, PlanVersion
from plans.money import latest_spent
from plans.tags import FundingSource

from .compliance_data import CACHE_SECONDS, FIRST_YEAR, today
from .models import ActivityStatus, IndicatorValue, StatusUpdate
from .progress import Mark, missed_due_dates

CACHE_REVISION = "2"
ALL_YEARS = "all"
NONE = "none"  # the line of rows without a category, and of activities without a funding source
PRIORITIES = ("high", "moderate", "low")
INDICATOR_STATES = ("met", "not_met", "no_value", "no_target")


@dataclass(frozen=True)
class Section:
    code: str
    title: object
    columns: tuple  # ((code, label), ...): the numbers of each line
    chart: str  # the column the bar chart draws
    line_label: object  # the heading of the lines' column


SECTIONS = {
    section.code: section
    for section in (
        Section(
            "problems",
            _("Problems by category and priority"),
            (
                ("high", _("high priority")),
                ("moderate", _("moderate priority")),
                ("low", _("low priority")),
                ("total", _("plan rows")),
            ),
            "total",
            _("Category"),
        ),
        Section(
            "activities",
            _("Activities by status"),
            (("activities", _("activities")), ("overdue", _("overdue"))),
            "activities",
            _("Status"),
        ),
        Section(
            "participation",
            _("Participation in consultations by group and gender"),
            (
                ("women", _("women")),
                ("men", _("men")),
                ("unspecified", _("not stated")),
                ("total", _("total")),
            ),
            "total",
            _("Group"),
        ),
        Section(
            "indicators",
            _("Indicator progress"),
            (("indicators", _("indicators")),),
            "indicators",
            _("Against the target"),
        ),
        Section(
            "spending",
            _("Spending by funding source"),
            (
                ("estimated", _("estimated (lek)")),
                ("spent", _("spent to date (lek)")),
                ("activities", _("activities with a cost")),
            ),
            "estimated",
            _("Funding source"),
        ),
        Section(
            "reports",
            _("Annual reports published"),
            (("reports", _("annual reports")),),
            "reports",
            _("Reports"),
        ),
    )
}

INDICATOR_LABELS = {
    "met": _("meeting the target"),
    "not_met": _("not meeting the target yet"),
    "no_value": _("no value measured yet"),
    "no_target": _("no target set"),
}


def chosen_year(value: str | None, as_of: date) -> int | str:
    """``?year=``: a year KVSP can have records of, "all", or (anything else) this year."""
    if value == ALL_YEARS:
        return ALL_YEARS
    try:
        year = int(value or "")
    except ValueError:
        return as_of.year
    return year if FIRST_YEAR <= year <= as_of.year else as_of.year


def year_end(year: int, as_of: date) -> date:
    """The day a plan year's activities are judged on: the year's last day, or today if sooner."""
    return min(date(year, 12, 31), as_of)


# --- reading -------------------------------------------------------------------------------------


def _councils(county: str) -> dict[int, dict]:
    councils = Council.objects.select_related("municipality__county").order_by("municipality__name")
    if county:
        councils = councils.filter(municipality__county__slug=county)
    return {
        council.pk: {
            "name": council.municipality.name,
            "slug": council.municipality.slug,
            "county": council.municipality.county.name,
            "county_slug": council.municipality.county.slug,
        }
        for council in councils
    }


def _versions(council_ids, years, as_of: date) -> dict[int, tuple[int, int]]:
    """{version id: (council id, plan year)}: each plan's version as the annual report reads it
    (selectors.plan_in_force): the newest approved by a decision taken by the year's end, else (a
    plan whose decision came later, e.g. entered from paper) its newest approved version."""
    in_force: dict[int, tuple] = {}
    newest: dict[int, tuple] = {}
    for pk, plan_id, number, council_id, year, decided in (
        PlanVersion.objects.published()
        .filter(plan__council_id__in=council_ids, plan__year__in=years)
        .values_list("pk", "plan_id", "number", "plan__council_id", "plan__year", "decision_date")
    ):
        found = (pk, number, council_id, year)
        if plan_id not in newest or number > newest[plan_id][1]:
            newest[plan_id] = found
        decided_in_time = decided is not None and decided <= year_end(year, as_of)
        if decided_in_time and (plan_id not in in_force or number > in_force[plan_id][1]):
            in_force[plan_id] = found
    chosen = newest | in_force
    return {pk: (council_id, year) for pk, _number, council_id, year in chosen.values()}


def _add(table, line: str, council_id: int, column: str, amount=1) -> None:
    table[line][council_id][column] = table[line][council_id].get(column, 0) + amount


def _problems(versions, categories: list[dict]) -> dict:
    folded = {item["pk"]: item["merged_into_id"] or item["pk"] for item in categories}
    codes = {item["pk"]: item["code"] for item in categories}
    table: dict = defaultdict(lambda: defaultdict(dict))
    for version_id, priority, category_id in PlanProblem.objects.filter(version_id__in=versions).values_list(
        "version_id", "priority", "category_id"
    ):
        line = codes[folded[category_id]] if category_id else NONE
        council_id = versions[version_id][0]
        _add(table, line, council_id, priority)
        _add(table, line, council_id, "total")
    return table


def _activities(versions, as_of: date) -> tuple[list[Activity], dict]:
    """The activities (with their row, version and plan), and {lineage: [updates]} oldest first."""
    activities = list(
        Activity.objects.filter(problem__version_id__in=versions).select_related("problem__version__plan")
    )
    updates = defaultdict(list)
    for lineage, day, pk, status, spent in (
        StatusUpdate.objects.filter(
            activity_lineage__in=[activity.lineage for activity in activities], date__lte=as_of
        )
        .order_by("date", "id")
        .values_list("activity_lineage", "date", "id", "status", "spent")
    ):
        updates[lineage].append((day, pk, status, spent))
    return activities, updates


def _activity_figures(versions, activities, updates, as_of: date) -> tuple[dict, dict]:
    statuses: dict = defaultdict(lambda: defaultdict(dict))
    spending: dict = defaultdict(lambda: defaultdict(dict))
    for activity in activities:
        council_id, year = versions[activity.problem.version_id]
        end = year_end(year, as_of)
        known = [update for update in updates.get(activity.lineage, []) if update[0] <= end]
        status = known[-1][2] if known else ActivityStatus.NOT_STARTED
        marks = [Mark(day, state) for day, _pk, state, _spent in known]
        _add(statuses, status, council_id, "activities")
        if missed_due_dates(activity.deadline, year, marks, end):
            _add(statuses, status, council_id, "overdue")
        spent = latest_spent((activity.lineage, day, pk, amount) for day, pk, _state, amount in known)
        spent_here = spent.get(str(activity.lineage))
        if activity.estimated_cost is None and spent_here is None:
            continue
        source = activity.funding_source if activity.funding_source in FundingSource.values else NONE
        _add(spending, source, council_id, "estimated", activity.estimated_cost or 0)
        _add(spending, source, council_id, "spent", spent_here or 0)
        _add(spending, source, council_id, "activities", int(activity.estimated_cost is not None))
    return statuses, spending


def meets_target(value, baseline, target) -> bool:
    """Whether a measured value reaches the target: at or above it, or at or below it when the
    target is below the baseline (fewer cases is better). Without a target nothing is met."""
    if target is None or value is None:
        return False
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


def _indicators(versions, as_of: date) -> dict:
    indicators = list(
        Indicator.objects.filter(activity__problem__version_id__in=versions).values_list(
            "lineage", "baseline", "target", "activity__problem__version_id"
        )
    )
    latest: dict = {}
    # Oldest first, in a fixed order (values of one period: the one recorded last is the latest).
    for lineage, period_end, value in (
        IndicatorValue.objects.filter(
            indicator_lineage__in=[row[0] for row in indicators], period_end__lte=as_of
        )
        .order_by("period_end", "created_at", "id")
        .values_list("indicator_lineage", "period_end", "value")
    ):
        latest.setdefault(lineage, []).append((period_end, value))
    table: dict = defaultdict(lambda: defaultdict(dict))
    for lineage, baseline, target, version_id in indicators:
        council_id, year = versions[version_id]
        end = year_end(year, as_of)
        known = [value for period_end, value in latest.get(lineage, []) if period_end <= end]
        if target is None:
            state = "no_target"
        elif not known:
            state = "no_value"
        else:
            state = "met" if meets_target(known[-1], baseline, target) else "not_met"
        _add(table, state, council_id, "indicators")
    return table


def _participation(council_ids, years) -> dict:
    table: dict = defaultdict(lambda: defaultdict(dict))
    for council_id, group, women, men, unspecified in Participation.objects.filter(
        consultation__council_id__in=council_ids,
        consultation__status=Consultation.Status.HELD,
        consultation__starts_at__year__in=years,
        consultation__starts_at__lte=timezone.now(),
    ).values_list("consultation__council_id", "group", "women", "men", "unspecified"):
        for column, amount in (("women", women), ("men", men), ("unspecified", unspecified)):
            _add(table, group, council_id, column, amount)
        _add(table, group, council_id, "total", women + men + unspecified)
    return table


def annual_reports_model():
    """The annual report model (monitoring/annual, issue 24 item 1), looked up by name: None while
    it does not exist."""
    try:
        return apps.get_model("monitoring", "AnnualReport")
    except LookupError:
        return None


def _reports(council_ids, years) -> dict | None:
    model = annual_reports_model()
    if model is None:
        return None
    table: dict = defaultdict(lambda: defaultdict(dict))
    for (council_id,) in model.objects.filter(
        council_id__in=council_ids, year__in=years, status="approved"
    ).values_list("council_id"):
        _add(table, "published", council_id, "reports")
    return table


def _plain(table) -> dict:
    return {line: {council: dict(cells) for council, cells in row.items()} for line, row in table.items()}


def figures(year: int | str, county: str = "", as_of: date | None = None) -> dict:
    """Every section's figures per line and council (codes and numbers only), for ``year`` ("all":
    every year) and ``county`` (a slug; empty: all): from the public cache, else read in a fixed
    number of queries."""
    as_of = as_of or today()
    key = public_cache.key("national-rollup", CACHE_REVISION, as_of.isoformat(), year, county)
    found = public_cache.get(key)
    if found is not None:
        return found
    years = list(range(FIRST_YEAR, as_of.year + 1)) if year == ALL_YEARS else [year]
    councils = _councils(county)
    categories = list(
        ProblemCategory.objects.order_by("order", "code").values(
            "pk", "code", "name_sq", "name_en", "merged_into_id"
        )
    )
    versions = _versions(councils, years, as_of)
    activities, updates = _activities(versions, as_of)
    statuses, spending = _activity_figures(versions, activities, updates, as_of)
    reports = _reports(councils, years)
    found = {
        "year": year,
        "county": county,
        "as_of": as_of,
        "councils": councils,
        "counties": list(County.objects.order_by("name").values("slug", "name")),
        "categories": [item for item in categories if item["merged_into_id"] is None],
        "reports_available": reports is not None,
        "sections": {
            "problems": _plain(_problems(versions, categories)),
            "activities": _plain(statuses),
            "participation": _plain(_participation(councils, years)),
            "indicators": _plain(_indicators(versions, as_of)),
            "spending": _plain(spending),
            "reports": _plain(reports or {}),
        },
    }
    public_cache.put(key, found, CACHE_SECONDS)
    return found


# --- lines, totals and drill-down ----------------------------------------------------------------


def line_keys(data: dict, section: str) -> list[str]:
    """The lines of a section in their fixed order (lines with nothing are kept where the order is
    fixed and short, so a zero is shown as a zero)."""
    present = data["sections"][section]
    if section == "problems":
        order = [item["code"] for item in data["categories"]]
        return order + ([NONE] if NONE in present else [])
    if section == "activities":
        return list(ActivityStatus.values)
    if section == "participation":
        return list(ParticipantGroup.values)
    if section == "indicators":
        return list(INDICATOR_STATES)
    if section == "spending":
        return [*FundingSource.values, NONE]
    return ["published"]


def line_total(data: dict, section: str, line: str) -> dict[str, int]:
    cells: dict[str, int] = {}
    for council_cells in data["sections"][section].get(line, {}).values():
        for column, amount in council_cells.items():
            cells[column] = cells.get(column, 0) + amount
    return cells


def section_total(data: dict, section: str) -> dict[str, int]:
    """The sum of the lines shown (line_keys): the total agrees with the lines above it."""
    cells: dict[str, int] = {}
    for line in line_keys(data, section):
        for column, amount in line_total(data, section, line).items():
            cells[column] = cells.get(column, 0) + amount
    return cells


def drill(data: dict, section: str, line: str, column: str) -> list[dict]:
    """The councils behind one number (``line`` "*": the section's total), largest first."""
    table = data["sections"].get(section, {})
    shown = set(line_keys(data, section)) if section in data["sections"] else set()
    per_council: dict[int, int] = defaultdict(int)
    for key, councils in table.items():
        if key not in shown or line not in ("*", key):
            continue
        for council_id, cells in councils.items():
            per_council[council_id] += cells.get(column, 0)
    return sorted(
        (
            {**data["councils"][council_id], "value": value}
            for council_id, value in per_council.items()
            if value and council_id in data["councils"]
        ),
        key=lambda item: (-item["value"], item["name"]),
    )
