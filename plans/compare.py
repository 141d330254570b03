"""Compare two versions of a plan row by row, matched by lineage id: a renumbered or reworded row
is "changed", never "removed and added"."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from .groups import disaggregation_label, groups_text
from .models import Activity, PlanProblem, PlanVersion
from .selectors import named_prefetches

PROBLEM_FIELDS = [
    ("number", _("number")),
    ("title", _("identified problem")),
    ("description", _("description")),
    ("statistics", _("statistics")),
    ("statistics_source", _("source of the statistics")),
    ("provenance", _("provenance note")),
    ("priority", _("priority")),
    ("unit", _("administrative unit")),
    ("institutions", _("responsible institutions")),  # Table 1's row: named once, for its activities
    ("actors", _("other responsible actors")),
    ("deadline", _("deadline")),
    ("groups", _("groups served")),
]
ACTIVITY_FIELDS = [
    ("text", _("activity")),
    ("lead", _("lead institution")),
    ("partners", _("partners")),
    ("actors", _("other responsible actors")),
    ("deadline", _("deadline")),
    ("indicators", _("indicators")),
    ("groups", _("groups served")),
]

TEXT_FIELDS = ("number", "title", "description", "statistics", "statistics_source", "provenance")
ORDER_LABEL = _("place in the list")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class RowDiff:
    kind: str  # "added", "removed", "changed", "same"
    before: object | None
    after: object | None
    changes: list[Change] = field(default_factory=list)
    activities: list["RowDiff"] = field(default_factory=list)

    @property
    def title(self) -> str:
        row = self.after or self.before
        return str(row)

    @property
    def row(self):
        """The row as it is now, or as it was when removed."""
        return self.after or self.before


def _names(items) -> str:
    """Names in the order named (plans/ordering.py): a new order is a change."""
    return ", ".join(str(item) for item in items)


def _problem_values(problem: PlanProblem) -> dict[str, str]:
    values = {name: str(getattr(problem, name) or "") for name in TEXT_FIELDS}
    values["priority"] = problem.get_priority_display()
    values["unit"] = str(problem.unit or _("the whole municipality"))
    values["institutions"] = _names(problem.institutions.all())
    values["actors"] = _names(problem.actors.all())
    values["deadline"] = str(problem.own_deadline or "")
    values["groups"] = groups_text(problem.groups)
    return values


def _amount(value) -> str:
    return "–" if value is None else floatformat(value, -2)


def _indicator_text(indicator) -> str:
    unit = f" ({indicator.unit})" if indicator.unit else ""
    split = f", {disaggregation_label(indicator.disaggregation)}" if indicator.disaggregation else ""
    return (
        f"{indicator.name}{unit}: {_amount(indicator.baseline)} → {_amount(indicator.target)}, "
        f"{indicator.get_frequency_display()}{split}"
    )


def _activity_values(activity: Activity) -> dict[str, str]:
    return {
        "text": activity.text,
        "lead": str(activity.lead) if activity.lead else "",
        "partners": _names(activity.partners.all()),
        "actors": _names(activity.actors.all()),
        # Its own deadline: a change of its row's deadline is the row's change, shown once there.
        "deadline": str(activity.own_deadline) if activity.own_deadline else str(_("As the row")),
        "indicators": "; ".join(_indicator_text(i) for i in activity.indicators.all()),
        "groups": groups_text(activity.groups),
    }


def _changes(fields, before: dict, after: dict) -> list[Change]:
    return [
        Change(str(label), before[name], after[name]) for name, label in fields if before[name] != after[name]
    ]


def _reordered(before: dict, after: dict) -> dict:
    """{lineage: (place before, place after)} for rows kept in both whose order among the kept rows
    changed: adding or removing a row moves nothing else."""
    kept_before = [lineage for lineage in before if lineage in after]
    kept_after = [lineage for lineage in after if lineage in before]
    return {
        lineage: (kept_before.index(lineage) + 1, place)
        for place, lineage in enumerate(kept_after, start=1)
        if kept_before.index(lineage) + 1 != place
    }


def _order_change(lineage, moved: dict) -> list[Change]:
    if lineage not in moved:
        return []
    before, after = moved[lineage]
    return [Change(str(ORDER_LABEL), str(before), str(after))]


def _rows(version: PlanVersion):
    return list(
        version.problems.order_by("position")
        .select_related("unit")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("position").select_related("lead")),
            *named_prefetches(),
            "activities__indicators",
        )
    )


def compare(older: PlanVersion, newer: PlanVersion) -> list[RowDiff]:
    """Every problem of either version, in the newer version's order (removed ones last)."""
    before = {p.lineage: p for p in _rows(older)}
    after = {p.lineage: p for p in _rows(newer)}
    moved = _reordered(before, after)
    result = []
    for lineage, problem in after.items():
        old = before.get(lineage)
        if old is None:
            diff = RowDiff("added", None, problem)
            diff.activities = [RowDiff("added", None, a) for a in problem.activities.all()]
        else:
            changes = _changes(PROBLEM_FIELDS, _problem_values(old), _problem_values(problem))
            diff = RowDiff("same", old, problem, changes + _order_change(lineage, moved))
            diff.activities = _activity_diffs(old, problem)
            if diff.changes or any(a.kind != "same" for a in diff.activities):
                diff.kind = "changed"
        result.append(diff)
    for lineage, problem in before.items():
        if lineage not in after:
            diff = RowDiff("removed", problem, None)
            diff.activities = [RowDiff("removed", a, None) for a in problem.activities.all()]
            result.append(diff)
    return result


def _activity_diffs(old: PlanProblem, new: PlanProblem) -> list[RowDiff]:
    before = {a.lineage: a for a in old.activities.all()}
    after = {a.lineage: a for a in new.activities.all()}
    moved = _reordered(before, after)
    diffs = []
    for lineage, activity in after.items():
        previous = before.get(lineage)
        if previous is None:
            diffs.append(RowDiff("added", None, activity))
            continue
        changes = _changes(ACTIVITY_FIELDS, _activity_values(previous), _activity_values(activity))
        changes += _order_change(lineage, moved)
        diffs.append(RowDiff("changed" if changes else "same", previous, activity, changes))
    diffs += [RowDiff("removed", a, None) for lineage, a in before.items() if lineage not in after]
    return diffs
