"""What an annual report shows of a council's year, read from what was recorded, as plain data
(strings, numbers, ISO dates, codes), so approval can freeze it as it is and a frozen report reads
in either language (labels are translated when shown, in display.py):

- the council's meetings held (council and SKN), planned and cancelled, and each member
  institution's attendance of the council meetings held;
- the open consultations held, and who took part in them by group and gender;
- the citizens' concerns raised in the year and the outcome of the problem each became;
- the plan in force at the year's end (or today): its activities by priority and by responsible
  institution, its indicators against their targets, its spending by funding source;
- the council's compliance record for the year (monitoring/compliance), each check's sentence kept
  in both languages.

A fixed number of queries whatever the year's size.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from consultations.models import Concern, Consultation, ParticipantGroup, Participation, Problem
from councils.meetings.models import Attendance, Meeting
from councils.models import Council

from .. import compliance_data, selectors, spending
from ..rollup import meets_target

PRESENT = (Attendance.Status.PRESENT, Attendance.Status.REPRESENTED)


def _window(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year, 12, 31), time.max, tzinfo=zone),
    )


def as_of_for(year: int, today: date | None = None) -> date:
    """The day the year is read on: its last day once over, else today."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _meetings(council: Council, window) -> dict:
    now = timezone.now()
    counts: dict[str, Counter] = {"council": Counter(), "skn": Counter()}
    held_council = []
    for row in (
        Meeting.objects.filter(
            council=council, kind__in=(*Meeting.PUBLIC_KINDS, Meeting.Kind.SKN), starts_at__range=window
        )
        .values("pk", "kind", "status", "starts_at")
        .order_by("starts_at")
    ):
        group = "skn" if row["kind"] == Meeting.Kind.SKN else "council"
        status = row["status"]
        if status == Meeting.Status.HELD and row["starts_at"] > now:
            status = Meeting.Status.PLANNED  # "held" ahead of its start: not a fact
        counts[group][status] += 1
        if group == "council" and status == Meeting.Status.HELD:
            held_council.append(row["pk"])
    # Each institution's attendance of the council meetings held with attendance recorded: one
    # person there (present or represented) is enough for the institution.
    there: dict[int, dict[int, bool]] = defaultdict(dict)
    names: dict[int, str] = {}
    for mark in Attendance.objects.filter(meeting_id__in=held_council).values(
        "meeting_id", "institution_id", "institution__name", "status"
    ):
        seen = there[mark["institution_id"]]
        seen[mark["meeting_id"]] = seen.get(mark["meeting_id"], False) or mark["status"] in PRESENT
        names[mark["institution_id"]] = mark["institution__name"]
    recorded = {meeting for seen in there.values() for meeting in seen}
    ranked = sorted(there.items(), key=lambda item: (-sum(item[1].values()), names[item[0]]))
    attendance = [
        {"institution": names[pk], "present": sum(seen.values()), "of": len(recorded)} for pk, seen in ranked
    ]
    return {
        kind: {
            "held": counts[kind][Meeting.Status.HELD],
            "planned": counts[kind][Meeting.Status.PLANNED],
            "cancelled": counts[kind][Meeting.Status.CANCELLED],
        }
        for kind in counts
    } | {"attendance": attendance}


def _consultations(council: Council, window) -> dict:
    now = timezone.now()
    held = list(
        Consultation.objects.filter(
            council=council, status=Consultation.Status.HELD, starts_at__range=window, starts_at__lte=now
        )
        .order_by("starts_at")
        .values("pk", "starts_at", "place")
    )
    by_group: dict[str, Counter] = defaultdict(Counter)
    per_consultation: Counter = Counter()
    for row in Participation.objects.filter(consultation_id__in=[c["pk"] for c in held]).values(
        "consultation_id", "group", "women", "men", "unspecified"
    ):
        line = by_group[row["group"]]
        for field in ("women", "men", "unspecified"):
            line[field] += row[field]
        per_consultation[row["consultation_id"]] += row["women"] + row["men"] + row["unspecified"]
    groups = [
        {
            "group": group,
            "women": by_group[group]["women"],
            "men": by_group[group]["men"],
            "unspecified": by_group[group]["unspecified"],
            "total": sum(by_group[group].values()),
        }
        for group in ParticipantGroup.values
        if group in by_group
    ]
    return {
        "held": [
            {
                "day": timezone.localtime(c["starts_at"]).date().isoformat(),
                "place": c["place"],
                "participants": per_consultation[c["pk"]],
            }
            for c in held
        ],
        "by_group": groups,
        "women": sum(line["women"] for line in groups),
        "men": sum(line["men"] for line in groups),
        "unspecified": sum(line["unspecified"] for line in groups),
        "total": sum(line["total"] for line in groups),
    }


def _concerns(council: Council, window) -> dict:
    """The concerns raised in the year (at a consultation of the year, or written in it), kept
    (received or published: not those set aside or merged), by the outcome of their problem."""
    in_year = Concern.objects.filter(
        council=council, status__in=(Concern.Status.RECEIVED, Concern.Status.PUBLISHED)
    )
    rows = list(
        in_year.filter(consultation__starts_at__range=window).values("category", "problem__outcome")
    ) + list(
        in_year.filter(consultation__isnull=True, created_at__range=window).values(
            "category", "problem__outcome"
        )
    )
    outcomes = Counter(row["problem__outcome"] or "" for row in rows)
    categories = Counter(row["category"] for row in rows)
    return {
        "total": len(rows),
        # "" : not yet grouped into a problem by the SKN
        "by_outcome": [
            {"outcome": outcome, "count": outcomes[outcome]}
            for outcome in (*Problem.Outcome.values, "")
            if outcomes[outcome]
        ],
        "by_category": [
            {"category": category, "count": count}
            for category, count in sorted(categories.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def _group(group: dict) -> dict:
    return {
        "label": str(group["label"]) if not isinstance(group["key"], str) else "",
        "key": group["key"] if isinstance(group["key"], str) else "",
        "total": group["total"],
        "counts": {str(status): count for status, count in group["counts"]},
        "overdue": group["overdue"],
        "progress": group["progress"],
    }


def _share(latest, indicator) -> tuple[int | None, bool]:
    """How far the latest value went, in percent, and whether it meets the target (as the national
    roll-up counts it: rollup.meets_target). Lower is better when the target is below the baseline
    (fewer cases): the share is then the part of the way from the baseline down to the target."""
    value, baseline, target = latest.value, indicator.baseline, indicator.target
    met = meets_target(value, baseline, target)
    if target is None:
        return None, met
    if baseline is not None and target < baseline:
        return round(100 * (baseline - value) / (baseline - target)), met
    return (round(100 * value / target) if target else None), met


def _plan(council: Council, year: int, as_of: date) -> dict:
    version = selectors.plan_in_force(council, year, as_of) or selectors.plan_in_force(council, year)
    if version is None:
        return {"plan": None}
    board = selectors.board(version, as_of)
    indicators = []
    for problem in board.problems:
        for activity in problem.activities.all():
            for indicator in activity.indicators.all():
                measured = getattr(indicator, "measured", [])  # set by selectors.board
                latest = next((value for value in reversed(measured) if value.period_end.year == year), None)
                share, met = _share(latest, indicator) if latest is not None else (None, None)
                indicators.append(
                    {
                        "number": f"{problem.number}.{activity.position}",
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "baseline": _number(indicator.baseline),
                        "target": _number(indicator.target),
                        "value": _number(latest.value) if latest else "",
                        "period": latest.period if latest else "",
                        "share": share,
                        "met": met,
                    }
                )
    institutions = []
    for group in board.by_institution():
        line = _group(group)
        line["label"] = group["key"].name if group["key"] is not None else ""
        institutions.append(line)
    return {
        "plan": {"id": version.pk, "year": version.plan.year, "number": version.number},
        "totals": _group(board.totals()),
        "by_priority": [_group(group) for group in board.by_priority()],
        "by_institution": institutions,
        "indicators": indicators,
        "spending": spending.report_spending(council, board.problems, date(year, 1, 1), as_of),
    }


def _compliance(council: Council, year: int, as_of: date) -> dict:
    record = compliance_data.council_records(council, year, as_of)[0]
    checks = []
    for check in record.checks:
        summary = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                summary[code] = check.summary
        checks.append({"code": check.code, "state": check.state, "summary": summary})
    return {"score": record.score, "met": record.met, "due": record.due, "checks": checks}


def annual_data(council: Council, year: int, today: date | None = None) -> dict:
    """The year's facts as the annual report shows them (see the module's docstring)."""
    as_of = as_of_for(year, today)
    window = _window(year)
    content: dict[str, Any] = {
        "year": year,
        "as_of": as_of.isoformat(),
        "meetings": _meetings(council, window),
        "consultations": _consultations(council, window),
        "concerns": _concerns(council, window),
    }
    content |= _plan(council, year, as_of)
    content["compliance"] = _compliance(council, year, as_of)
    content["empty"] = not (
        content["meetings"]["council"]["held"]
        or content["meetings"]["skn"]["held"]
        or content["consultations"]["held"]
        or content["concerns"]["total"]
        or content["plan"]
    )
    return content
