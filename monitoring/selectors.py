"""Reads of monitoring, each in a fixed number of queries whatever the plan's size: the plan in force
with every activity's standing on a day (the board), what the dashboards count, and the content of
a monthly report (plain data, so that approval can freeze it as it is)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from consultations.models import Intensity
from councils.models import Council
from kvsp.core import public_cache
from plans import selectors as plan_selectors
from plans.models import Activity, Indicator, PlanProblem, PlanVersion

from . import report_layout, spending
from .models import ActivityStatus, IndicatorValue, MonthlyReport, StatusUpdate
from .progress import Mark, missed_due_dates, month_end, period_label

Status = ActivityStatus
PRIORITIES = ("high", "moderate", "low")
CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)


def plan_in_force(council: Council, year: int, as_of: date | None = None) -> PlanVersion | None:
    """The newest version of the council's plan of ``year`` in force on ``as_of`` (any, without it):
    in force from the date of the council's decision that approved it — not from when it was
    recorded here, which for a plan entered from paper is later."""
    versions = PlanVersion.objects.published().filter(plan__council=council, plan__year=year)
    if as_of is not None:
        versions = versions.filter(decision_date__lte=as_of)
    return versions.select_related("plan__council__municipality").order_by("-number").first()


def monitored_years(council: Council) -> list[int]:
    """The years of the council's plans that have an approved version, newest first."""
    return list(
        PlanVersion.objects.published()
        .filter(plan__council=council)
        .order_by("-plan__year")
        .values_list("plan__year", flat=True)
        .distinct()
    )


@dataclass
class Standing:
    """Where an activity stands on a day."""

    status: str = Status.NOT_STARTED
    progress: int = 0
    updated_on: date | None = None
    note: str = ""
    update_count: int = 0
    missed: list = field(default_factory=list)

    @property
    def is_overdue(self) -> bool:
        return bool(self.missed)

    @property
    def status_label(self) -> str | Promise:
        return Status(self.status).label


def standing(activity: Activity, updates: list[dict], as_of: date) -> Standing:
    """Where an activity stands on ``as_of``, from its updates (dicts with date, status, progress
    and note, oldest first); those dated after ``as_of`` are not known yet. The activity's problem,
    version and plan are read (prefetched by the callers)."""
    known = [update for update in updates if update["date"] <= as_of]
    result = Standing(update_count=len(known))
    if known:
        last = known[-1]
        result.status, result.progress = last["status"], last["progress"]
        result.updated_on, result.note = last["date"], last.get("note", "")
    marks = [Mark(update["date"], update["status"]) for update in known]
    result.missed = missed_due_dates(activity.deadline, activity.problem.version.plan.year, marks, as_of)
    return result


def _updates_by_lineage(activities: list[Activity], as_of: date) -> dict:
    """The updates of the activities' lineages dated by ``as_of``, oldest first: one query."""
    by_lineage = defaultdict(list)
    for update in (
        StatusUpdate.objects.filter(
            activity_lineage__in=[activity.lineage for activity in activities], date__lte=as_of
        )
        .order_by("date", "id")
        .values("activity_lineage", "date", "status", "progress", "note")
    ):
        by_lineage[update["activity_lineage"]].append(update)
    return by_lineage


def _standings(activities: list[Activity], as_of: date) -> None:
    """Set ``activity.standing`` on each activity: one query for all their updates."""
    by_lineage = _updates_by_lineage(activities, as_of)
    for activity in activities:
        activity.standing = standing(activity, by_lineage.get(activity.lineage, []), as_of)


def _values(version: PlanVersion, indicators: list[Indicator], as_of: date) -> None:
    """Set ``indicator.measured`` (the values known on ``as_of``, oldest period first) and
    ``indicator.latest``. Known: the period had ended by then (a value entered in arrears counts for
    its period), or the value was recorded by then (this month's value, entered before its end)."""
    by_lineage = defaultdict(list)
    for value in (
        IndicatorValue.objects.filter(
            council_id=version.plan.council_id,
            indicator_lineage__in=[indicator.lineage for indicator in indicators],
        )
        .filter(Q(period_end__lte=as_of) | Q(created_at__date__lte=as_of))
        .order_by("period_end")
    ):
        by_lineage[value.indicator_lineage].append(value)
    for indicator in indicators:
        indicator.measured = by_lineage.get(indicator.lineage, [])
        indicator.latest = indicator.measured[-1] if indicator.measured else None


@dataclass
class Board:
    """A plan version with every activity's standing on ``as_of``."""

    version: PlanVersion
    as_of: date
    problems: list[PlanProblem]

    @property
    def activities(self) -> list[Activity]:
        return [activity for problem in self.problems for activity in problem.activities.all()]

    @property
    def overdue(self) -> list[Activity]:
        return [activity for activity in self.activities if activity.standing.is_overdue]

    def by_priority(self) -> list[dict]:
        groups: dict[str, list[Activity]] = {priority: [] for priority in PRIORITIES}
        for problem in self.problems:
            groups.setdefault(problem.priority, []).extend(problem.activities.all())
        return [
            _group(priority, activities, label=Intensity(priority).label)
            for priority, activities in groups.items()
            if activities
        ]

    def by_institution(self) -> list[dict]:
        groups: dict = defaultdict(list)
        for activity in self.activities:
            groups[activity.lead].append(activity)  # None: the plan names no lead
        ordered = sorted(groups.items(), key=lambda item: (item[0] is None, item[0].name if item[0] else ""))
        return [
            _group(institution, activities, label=institution.name if institution else _("No lead named"))
            for institution, activities in ordered
        ]

    def totals(self) -> dict:
        return _group(None, self.activities)


def _group(key, activities: list[Activity], label: str | Promise = "") -> dict:
    """Activities summed up: how many, by status, overdue, average progress; ``label`` names the
    group in a chart ("" for all activities)."""
    counts = Counter(activity.standing.status for activity in activities)
    total = len(activities)
    return {
        "key": key,
        "label": label,
        "total": total,
        "counts": [(status, counts.get(status.value, 0)) for status in Status],
        "overdue": len([activity for activity in activities if activity.standing.is_overdue]),
        "progress": round(sum(activity.standing.progress for activity in activities) / total) if total else 0,
    }


def board(version: PlanVersion, as_of: date | None = None) -> Board:
    """The version's rows (four queries, plans.selectors.plan_rows), their activities' standings
    (one query) and their indicators' values (one query)."""
    as_of = as_of or timezone.localdate()
    problems = plan_selectors.plan_rows(version)
    activities = [activity for problem in problems for activity in problem.activities.all()]
    _standings(activities, as_of)
    _values(version, [indicator for activity in activities for indicator in activity.indicators.all()], as_of)
    return Board(version=version, as_of=as_of, problems=problems)


# The dashboard's board and latest updates are kept under the public generation, which every
# service recording an update or a value, or changing a plan, moves on; the short life is a safety
# net for a write that moves nothing on.
DASHBOARD_CACHE_SECONDS = 15 * 60


def dashboard_data(council: Council, version: PlanVersion, as_of: date) -> tuple[Board, list[StatusUpdate]]:
    """board() of ``version`` on ``as_of`` and the council's recent_updates(), from the cache when
    kept there (no query), else read (a fixed number of queries) and kept."""
    key = public_cache.key("monitoring-dashboard", council.pk, version.pk, as_of.isoformat())
    found = public_cache.get(key)
    if found is None:
        found = (board(version, as_of=as_of), recent_updates(council))
        public_cache.put(key, found, DASHBOARD_CACHE_SECONDS)
    return found


def recent_updates(council: Council, limit: int = 10) -> list[StatusUpdate]:
    return list(
        StatusUpdate.objects.filter(council=council)
        .select_related("activity__problem", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def row_progress(rows: list[PlanProblem], as_of: date | None = None) -> dict[int, dict]:
    """For plan rows (of any approved versions): each row's activities summed up on ``as_of``,
    keyed by the row's id — what a consultation's "what we did" shows. Three queries."""
    as_of = as_of or timezone.localdate()
    rows = list(rows)
    if not rows:
        return {}
    activities = list(
        Activity.objects.filter(problem__in=rows)
        .select_related("problem__version__plan")
        .order_by("position")
    )
    _standings(activities, as_of)
    summary: dict[int, list] = defaultdict(list)
    for activity in activities:
        summary[activity.problem_id].append(activity)
    return {row_id: _group(row_id, found) for row_id, found in summary.items()}


# --- the monthly report ----------------------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def report_data(council: Council, year: int, month: int, today: date | None = None) -> dict:
    """What the standard template shows for a month, as plain data (strings, numbers, ISO dates,
    status codes): the plan in force at the month's end, each activity's standing then with its
    updates of the month, and the indicator values of periods ending in the month. Labels are
    translated when shown, so a frozen report reads in either language."""
    today = today or timezone.localdate()
    first, last = date(year, month, 1), month_end(year, month)
    as_of = min(last, today)
    version = plan_in_force(council, year, as_of) or plan_in_force(council, year)
    content: dict[str, Any] = {
        "year": year,
        "month": month,
        "as_of": as_of.isoformat(),
        "plan": None,
        "activities": [],
        "indicators": [],
    }
    if version is None:
        return content
    content["plan"] = {"id": version.pk, "year": version.plan.year, "number": version.number}
    data = board(version, as_of)
    month_updates = set(
        StatusUpdate.objects.filter(
            council=council,
            date__gte=first,
            date__lte=as_of,  # as the standings: nothing dated after the day the month is read on
            activity_lineage__in=[a.lineage for a in data.activities],
        ).values_list("activity_lineage", flat=True)
    )
    for problem in data.problems:
        for activity in problem.activities.all():
            standing = activity.standing
            content["activities"].append(
                {
                    "lineage": str(activity.lineage),
                    "problem": problem.number,
                    # as the working board and the reminders number it (1.4.2)
                    "number": f"{problem.number}.{activity.position}",
                    "problem_title": problem.title,
                    "priority": problem.priority,
                    "text": activity.text,
                    "lead": activity.lead.name if activity.lead else "",
                    "status": standing.status,
                    "progress": standing.progress,
                    "updated_on": standing.updated_on.isoformat() if standing.updated_on else "",
                    "note": standing.note,
                    "updated_this_month": activity.lineage in month_updates,
                    "missed": [due.isoformat() for due in standing.missed],
                }
            )
            for indicator in activity.indicators.all():
                for value in indicator.measured:
                    if first <= value.period_end <= last:
                        content["indicators"].append(
                            {
                                "problem": problem.number,
                                "number": f"{problem.number}.{activity.position}",
                                "activity": activity.text,
                                "name": indicator.name,
                                "unit": indicator.unit,
                                "baseline": _number(indicator.baseline),
                                "target": _number(indicator.target),
                                "period": value.period,
                                "value": _number(value.value),
                                # the values per split, frozen with the report (plans/groups.py)
                                "split": indicator.disaggregation,
                                "breakdown": dict(value.breakdown or {}),
                                "note": value.note,
                            }
                        )
    content["spending"] = spending.report_spending(council, data.problems, first, as_of)
    return content


def report_sections(content: dict) -> dict:
    """The template's sections from a report's content (live or frozen), and ``layout``: the order
    and headings of its template (monitoring/report_layout.py)."""
    activities = content.get("activities", [])
    return {
        "layout": report_layout.layout(content),
        "done": [a for a in activities if a["status"] == Status.DONE and a["updated_this_month"]],
        "in_progress": [a for a in activities if a["status"] == Status.IN_PROGRESS],
        "delayed": [a for a in activities if a["status"] == Status.DELAYED],
        "overdue": [a for a in activities if a["missed"]],
        "not_updated": [
            a
            for a in activities
            if not a["updated_this_month"] and a["status"] not in (Status.DONE, Status.CANCELLED)
        ],
        "indicators": content.get("indicators", []),
        "spending": spending.spending_section(content),
        "total": len(activities),
        "done_total": sum(1 for a in activities if a["status"] == Status.DONE),
    }


REPORTS_PER_PAGE = 12  # a year of months: the list does not grow with the council's history


def _reports(council: Council, drafts: bool) -> QuerySet:
    found = MonthlyReport.objects.filter(council=council)
    if not drafts:
        found = found.filter(status__in=MonthlyReport.FROZEN_STATUSES)
    return found.order_by("-year", "-month")


def reports(council: Council, *, drafts: bool) -> list[MonthlyReport]:
    return list(_reports(council, drafts))


def reports_page(council: Council, *, drafts: bool, number: str | None) -> Page:
    """One page of reports(), newest first (the first when ``number`` is not a page)."""
    return Paginator(_reports(council, drafts), REPORTS_PER_PAGE).get_page(number)


# --- an activity's and an indicator's pages -------------------------------------------------------

NEWEST_FIRST = ("-problem__version__plan__year", "-problem__version__number")


def newest_activity(activities: QuerySet, council: Council, lineage) -> Activity | None:
    """Among ``activities`` (those the user may read), the row of the newest approved version of the
    council's plans with this lineage — what the monitoring pages show of an activity whose plan was
    revised — with its lead, partners and indicators."""
    return (
        activities.filter(
            lineage=lineage,
            problem__version__status=PlanVersion.Status.APPROVED,
            problem__version__plan__council=council,
        )
        .select_related("problem__version__plan__council", "lead")
        .prefetch_related("partners", Prefetch("indicators", queryset=Indicator.objects.order_by("position")))
        .order_by(*NEWEST_FIRST)
        .first()
    )


def newest_indicator(indicators: QuerySet, council: Council, lineage) -> Indicator | None:
    """As ``newest_activity``, for an indicator, with its activity's lead and partners."""
    return (
        indicators.filter(
            lineage=lineage,
            activity__problem__version__status=PlanVersion.Status.APPROVED,
            activity__problem__version__plan__council=council,
        )
        .select_related("activity__problem__version__plan__council", "activity__lead")
        .prefetch_related("activity__partners")
        .order_by("-activity__problem__version__plan__year", "-activity__problem__version__number")
        .first()
    )


def activity_number(activity: Activity) -> int:
    """The activity's place under its problem (1 for the first)."""
    return activity.problem.activities.filter(position__lt=activity.position).count() + 1


def timeline(council: Council, activity: Activity) -> list[StatusUpdate]:
    """Every update of the activity's lineage (in every version of the plan), newest first."""
    return list(
        StatusUpdate.objects.filter(council=council, activity_lineage=activity.lineage)
        .select_related("author")
        .order_by("-date", "-id")
    )


def latest_values(council: Council, indicators: list[Indicator]) -> None:
    """Set ``indicator.latest`` on each: the value of its lineage's newest period (None without),
    with the period's ``label``. One query."""
    latest = {}
    for value in IndicatorValue.objects.filter(
        council=council, indicator_lineage__in=[indicator.lineage for indicator in indicators]
    ).order_by("period_end"):
        latest[value.indicator_lineage] = value
    for indicator in indicators:
        indicator.latest = latest.get(indicator.lineage)
        if indicator.latest is not None:
            indicator.latest.label = period_label(indicator.latest.period)


def indicator_values(council: Council, indicator: Indicator) -> list[IndicatorValue]:
    """Every value of the indicator's lineage, oldest period first, each with its period's
    ``label`` and its author."""
    values = list(
        IndicatorValue.objects.filter(council=council, indicator_lineage=indicator.lineage)
        .select_related("author")
        .order_by("period_end")
    )
    for value in values:
        value.label = period_label(value.period)
    return values
