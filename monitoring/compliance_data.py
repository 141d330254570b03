"""The facts the compliance rules read (monitoring/compliance/), gathered for any number of
councils and years in a fixed number of queries, whatever the size of the data; and the national
overview's records, kept in the public cache (kvsp/core/public_cache.py) under the public
generation, which every service that writes what the checks read moves on.

A meeting or consultation whose start has not come is never given to the rules as held, whatever
its status says: held before it began is not a fact (it reads as planned, or announced).

The cache fails open: when it does not answer, the records are computed (never a 500).
"""

from collections import defaultdict
from datetime import date, datetime, time

from django.db.models import Min, Q
from django.utils import timezone

from consultations.models import Concern, Consultation, Problem
from councils.meetings.models import Attendance, Meeting
from councils.models import Council
from kvsp.core import public_cache
from plans.models import Activity, Plan, PlanVersion

from . import compliance as rules
from .models import ActivityStatus, ComplianceComment, MonthlyReport, StatusUpdate
from .selectors import standing

COUNCIL_KINDS = tuple(Meeting.PUBLIC_KINDS)
MEASURED_KINDS = (*COUNCIL_KINDS, Meeting.Kind.SKN)
# How many years the overview and a council's record show: the chosen one and the two before.
TREND_YEARS = 3
FIRST_YEAR = 2015  # no council record in KVSP is older


def today() -> date:
    return timezone.localdate()


def chosen_year(value: str | None, as_of: date) -> int:
    """The year asked for in ``?year=``, if it is one KVSP can have records of; else this year."""
    try:
        year = int(value or "")
    except ValueError:
        return as_of.year
    return year if FIRST_YEAR <= year <= as_of.year else as_of.year


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _start_of(year: int) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))


def _held(status: str, starts_at: datetime, now: datetime) -> bool:
    """Held, as a fact: the status says so and the start has come."""
    return status == Meeting.Status.HELD and starts_at <= now


def gather(years: range, as_of: date, council: Council | None = None) -> dict[int, rules.CouncilFacts]:
    """The facts of every council (or of one) for ``years``, as recorded by ``as_of``: 12 queries."""
    councils = Council.objects.select_related("municipality__county").order_by("municipality__name")
    if council is not None:
        councils = councils.filter(pk=council.pk)
    facts = {
        c.pk: rules.CouncilFacts(
            council_id=c.pk,
            slug=c.municipality.slug,
            name=c.municipality.name,
            county=c.municipality.county.name,
            county_slug=c.municipality.county.slug,
            status=c.status,
            founded=c.founding_decision_date,
        )
        for c in councils
    }
    scope = {"council_id__in": list(facts)} if council is not None else {}
    window = (_start_of(years.start), _start_of(years.stop))
    _meetings(facts, scope, window, as_of)
    _consultations(facts, scope, as_of)
    _plans(facts, scope, years, as_of)
    _reports(facts, scope)
    _overdue(facts, scope, years, as_of)
    _concerns(facts, scope, window)
    for row in ComplianceComment.objects.filter(**scope, year__in=list(years)).values(
        "council_id", "year", "text"
    ):
        facts[row["council_id"]].comments[row["year"]] = row["text"]
    return facts


def _meetings(facts, scope, window, as_of) -> None:
    firsts = (
        Meeting.objects.filter(**scope)
        .values("council_id")
        .annotate(first=Min("starts_at"), first_council=Min("starts_at", filter=Q(kind__in=COUNCIL_KINDS)))
    )
    for row in firsts:
        item = facts[row["council_id"]]
        item.first_meeting = _local(row["first"])
        item.first_council_meeting = _local(row["first_council"]) if row["first_council"] else None
    rows = Meeting.objects.filter(**scope, kind__in=MEASURED_KINDS, starts_at__range=window).values(
        "pk", "council_id", "kind", "status", "starts_at", "restricted"
    )
    held_council = []
    now = timezone.now()
    for row in rows.order_by("starts_at"):
        is_council = row["kind"] in COUNCIL_KINDS
        status = row["status"]
        if status == Meeting.Status.HELD and not _held(status, row["starts_at"], now):
            status = Meeting.Status.PLANNED  # "held" ahead of its start: not a fact
        facts[row["council_id"]].meetings.append(
            rules.MeetingFact(
                pk=row["pk"],
                kind="council" if is_council else "skn",
                day=_local(row["starts_at"]),
                status=status,
                public=is_council and not row["restricted"],
            )
        )
        if is_council and status == Meeting.Status.HELD:
            held_council.append(row)
    present = (Attendance.Status.PRESENT, Attendance.Status.REPRESENTED)
    by_meeting = {m["pk"]: facts[m["council_id"]] for m in held_council}
    for row in Attendance.objects.filter(meeting_id__in=list(by_meeting)).values(
        "meeting_id", "institution_id", "institution__name", "status"
    ):
        item = by_meeting[row["meeting_id"]]
        there = item.attendance.setdefault(row["meeting_id"], {})
        # One person there is enough for the institution (several may represent it).
        there[row["institution_id"]] = there.get(row["institution_id"], False) or row["status"] in present
        item.institutions[row["institution_id"]] = row["institution__name"]


def _consultations(facts, scope, as_of) -> None:
    now = timezone.now()
    for row in (
        Consultation.objects.filter(**scope)
        .values("pk", "council_id", "starts_at", "status", "announced_at")
        .order_by("starts_at")
    ):
        item = facts[row["council_id"]]
        day = _local(row["starts_at"])
        item.first_consultation = item.first_consultation or day
        status = row["status"]
        if status == Consultation.Status.HELD and row["starts_at"] > now:
            status = Consultation.Status.ANNOUNCED  # "held" ahead of its start: not a fact
        public = status in (Consultation.Status.ANNOUNCED, Consultation.Status.HELD) or (
            status == Consultation.Status.CANCELLED and row["announced_at"] is not None
        )
        item.consultations.append(rules.ConsultationFact(row["pk"], day, status, public))


def _plans(facts, scope, years, as_of) -> None:
    plan_scope = {"council_id__in": scope["council_id__in"]} if scope else {}
    for row in Plan.objects.filter(**plan_scope).values("council_id").annotate(first=Min("year")):
        facts[row["council_id"]].first_plan_year = row["first"]
    version_scope = {"plan__council_id__in": scope["council_id__in"]} if scope else {}
    now = timezone.now()
    for row in (
        PlanVersion.objects.published()
        .filter(**version_scope, decision_date__lte=as_of)
        .values(
            "pk",
            "plan__council_id",
            "plan__year",
            "number",
            "decision_date",
            "meeting_id",
            "meeting__status",
            "meeting__starts_at",
        )
        .order_by("decision_date")
    ):
        item = facts[row["plan__council_id"]]
        item.first_approval = item.first_approval or row["decision_date"]
        if row["plan__year"] in years:
            held = row["meeting_id"] is None or _held(row["meeting__status"], row["meeting__starts_at"], now)
            item.versions.append(
                rules.VersionFact(
                    row["plan__year"],
                    row["number"],
                    row["decision_date"],
                    row["meeting_id"],
                    row["pk"],
                    meeting_held=held,
                )
            )


def _reports(facts, scope) -> None:
    for row in (
        MonthlyReport.objects.filter(**scope)
        .values("council_id", "year", "month", "status", "approved_at")
        .order_by("year", "month")
    ):
        item = facts[row["council_id"]]
        item.first_report = item.first_report or date(row["year"], row["month"], 1)
        approved = _local(row["approved_at"]) if row["approved_at"] else None
        item.reports.append(rules.ReportFact(row["year"], row["month"], row["status"], approved))


def _overdue(facts, scope, years, as_of) -> None:
    """The plan in force at each year's end (or on ``as_of``): its activities' standing, read with
    the overdue rule of monitoring/progress.py. Two queries for every council and year."""
    in_force = {}
    for item in facts.values():
        for year in years:
            end = min(as_of, date(year, 12, 31))
            candidates = [v for v in item.versions if v.year == year and v.decision_date <= end]
            if candidates:
                in_force[(item.council_id, year)] = max(candidates, key=lambda v: v.number)
    if not in_force:
        return
    activities = list(
        Activity.objects.filter(problem__version_id__in=[v.pk for v in in_force.values()]).select_related(
            "problem__version__plan"
        )
    )
    updates = defaultdict(list)
    for row in (
        StatusUpdate.objects.filter(activity_lineage__in=[a.lineage for a in activities], date__lte=as_of)
        .order_by("date", "id")
        .values("activity_lineage", "date", "status", "progress")
    ):
        updates[row["activity_lineage"]].append(row)
    counts = defaultdict(lambda: [0, 0])
    for activity in activities:
        plan = activity.problem.version.plan
        end = min(as_of, date(plan.year, 12, 31))
        now = standing(activity, updates.get(activity.lineage, []), end)
        if now.status == ActivityStatus.CANCELLED:
            continue
        tally = counts[(plan.council_id, plan.year)]
        tally[0] += 1
        tally[1] += now.is_overdue
    for (council_id, year), version in in_force.items():
        total, overdue = counts.get((council_id, year), (0, 0))
        facts[council_id].overdue[year] = rules.OverdueFact(version.number, total, overdue)


def _concerns(facts, scope, window) -> None:
    in_window = Q(consultation__starts_at__range=window) | Q(
        consultation__isnull=True, created_at__range=window
    )
    for row in (
        Concern.objects.filter(**scope)
        .filter(in_window, status__in=(Concern.Status.RECEIVED, Concern.Status.PUBLISHED))
        .values("council_id", "status", "created_at", "consultation__starts_at", "problem__outcome")
    ):
        raised = row["consultation__starts_at"] or row["created_at"]
        answered = row["status"] == Concern.Status.PUBLISHED and row["problem__outcome"] not in (
            None,
            Problem.Outcome.PENDING,
        )
        facts[row["council_id"]].concerns.append(rules.ConcernFact(_local(raised), answered))


# --- records --------------------------------------------------------------------------------------------


def year_range(year: int) -> range:
    return range(year - TREND_YEARS + 1, year + 1)


def council_records(council: Council, year: int, as_of: date | None = None) -> list[rules.Record]:
    """A council's record for ``year`` and the two years before (newest first)."""
    as_of = as_of or today()
    years = year_range(year)
    facts = gather(years, as_of, council)[council.pk]
    return [rules.evaluate(facts, y, as_of) for y in reversed(years)]


def council_calendar(council: Council, year: int, as_of: date | None = None) -> list[dict]:
    as_of = as_of or today()
    facts = gather(range(year, year + 1), as_of, council)[council.pk]
    return rules.calendar_rows(facts, year, as_of)


CACHE_REVISION = "2"  # bump when the rules change: cached records are then unused
# Every service that writes what the checks read moves the public generation on; the short life is
# a safety net for a write that moves nothing on (a raw query, a restore).
CACHE_SECONDS = 15 * 60


def council_facts(council: Council, years: range, as_of: date) -> rules.CouncilFacts:
    """One council's facts for ``years`` (gather), cached per generation and day as the national
    records are: the council's working page and its record read them on every visit."""
    key = public_cache.key(
        "compliance-council", CACHE_REVISION, as_of.isoformat(), years.start, years.stop, council.pk
    )
    found = public_cache.get(key)
    if found is None:
        found = gather(years, as_of, council)[council.pk]
        public_cache.put(key, found, CACHE_SECONDS)
    return found


def national_records(year: int, as_of: date | None = None) -> tuple[list[rules.CouncilFacts], dict, int]:
    """Every council (its facts without the bulky lists), the records of ``year`` and the two
    before ({council id: {year: Record}}) and the first year anything was recorded. Cached per
    generation and day."""
    as_of = as_of or today()
    key = public_cache.key("compliance", CACHE_REVISION, as_of.isoformat(), year)
    found = public_cache.get(key)
    if found is not None:
        return found
    years = year_range(year)
    facts = gather(years, as_of)
    records = {pk: {y: rules.evaluate(item, y, as_of) for y in years} for pk, item in facts.items()}
    councils = [
        rules.CouncilFacts(
            council_id=item.council_id,
            slug=item.slug,
            name=item.name,
            county=item.county,
            county_slug=item.county_slug,
            status=item.status,
            founded=item.founded,
        )
        for item in facts.values()
    ]
    starts = [
        day.year
        for item in facts.values()
        for day in (item.first_meeting, item.first_consultation, item.first_report, item.first_approval)
        if day is not None
    ] + [item.first_plan_year for item in facts.values() if item.first_plan_year]
    first_year = max(FIRST_YEAR, min(min(starts, default=as_of.year), as_of.year))
    found = (councils, records, first_year)
    public_cache.put(key, found, CACHE_SECONDS)
    return found
