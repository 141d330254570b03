"""The money of a plan (issue 22, item 6): an activity's estimated cost in lek and who pays it, the
amount spent to date that status updates report, and the totals by funding source and by priority
that the plan's pages, files, API and monthly reports show.

Pure functions over plain values: the callers pass what they already loaded (an activity's cost,
source and its row's priority; the spent figures of status updates), so no total costs a query.
Amounts are whole lek; shown the Albanian way in Albanian ("1 250 000 lekë", a no-break space
between the groups, as kvsp/formats/sq) and the English way in English ("1,250,000 lek").
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import Intensity

from .tags import FundingSource

# A spent amount above this many times the estimate is asked to be confirmed (a typo, most often).
SPENT_CONFIRM_FACTOR = 10

# "1250000", "1 250 000", "1.250.000" or "1,250,000" (groups of three), optionally "lek"/"lekë".
_AMOUNT = re.compile(r"^(?P<sign>[-−]?)\s*(?P<digits>\d{1,3}(?:[ \u00a0\u202f.,']\d{3})*|\d+)$")
_SUFFIX = re.compile(r"\s*(lekë|leke|lek|all)\.?$", re.IGNORECASE)


def format_lek(amount: int | None) -> str:
    """ "1 250 000 lekë" (sq), "1,250,000 lek" (en); "" for no amount."""
    if amount is None:
        return ""
    return _("%(amount)s lek") % {"amount": number_format(amount, force_grouping=True, use_l10n=True)}


def parse_lek(text: str) -> int:
    """A typed amount of lek as an integer (negative kept: the caller refuses it with its reason);
    ValueError when it is not a whole amount."""
    text = _SUFFIX.sub("", (text or "").strip())
    match = _AMOUNT.match(text)
    if not match:
        raise ValueError(text)
    value = int(re.sub(r"\D", "", match["digits"]))
    return -value if match["sign"] else value


class LekField(forms.CharField):
    """An amount of whole lek, typed as people write it ("1 250 000", "1.250.000"). A negative
    amount is refused with its own message (a cost or a spent amount cannot be negative)."""

    default_error_messages = {
        "invalid": gettext_lazy("Write a whole amount of lek, for example 1 250 000."),
        "negative": gettext_lazy("An amount cannot be negative: write 0 or more."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"inputmode": "numeric", "maxlength": "30"}

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(value, force_grouping=True, use_l10n=True)
        return value

    def to_python(self, value) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 30:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = parse_lek(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount > 9_000_000_000_000:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


def cost_errors(cost: Any) -> dict:
    """The service's own check of an estimated cost: none, or a whole amount of 0 or more."""
    if cost is None:
        return {}
    if not isinstance(cost, int) or isinstance(cost, bool):
        return {"estimated_cost": _("Write a whole amount of lek, for example 1 250 000.")}
    if cost < 0:
        return {"estimated_cost": _("A cost cannot be negative: write 0 or more, or leave it empty.")}
    return {}


def spent_is_unusual(spent: int | None, estimate: int | None) -> bool:
    """More than ten times the estimate: asked to be confirmed (an estimate of 0 counts as 1 lek)."""
    return spent is not None and estimate is not None and spent > SPENT_CONFIRM_FACTOR * max(estimate, 1)


# --- totals ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Costed:
    """What a total needs of one activity: its estimate, source, row's priority and lineage."""

    cost: int | None
    source: str = ""
    priority: str = ""
    lineage: str = ""


@dataclass
class Line:
    key: str
    label: str
    amount: int
    count: int = 0
    spent: int | None = None

    @property
    def text(self) -> str:
        return format_lek(self.amount)

    @property
    def spent_text(self) -> str:
        return format_lek(self.spent)


@dataclass
class Totals:
    """The estimated total, by funding source and by priority (fixed order; empty lines left
    out), how many activities carry a cost, and the spent to date when it is known."""

    total: int = 0
    costed: int = 0
    uncosted: int = 0
    by_source: list[Line] = field(default_factory=list)
    by_priority: list[Line] = field(default_factory=list)
    spent: int | None = None

    @property
    def text(self) -> str:
        return format_lek(self.total)

    @property
    def spent_text(self) -> str:
        return format_lek(self.spent)

    def as_data(self) -> dict:
        """For the JSON and the API: amounts as integers, keys as codes, labels translated."""
        return {
            "currency": "ALL",
            "estimated_total": self.total,
            "activities_with_cost": self.costed,
            "activities_without_cost": self.uncosted,
            "by_funding_source": [
                {"source": line.key, "label": line.label, "estimated": line.amount, "activities": line.count}
                for line in self.by_source
            ],
            "by_priority": [
                {
                    "priority": line.key,
                    "label": line.label,
                    "estimated": line.amount,
                    "activities": line.count,
                }
                for line in self.by_priority
            ],
        }


def _source_label(key: str) -> str:
    return str(FundingSource(key).label) if key in FundingSource.values else _("source not given")


def totals(items: Iterable[Costed], spent: dict[str, int] | None = None) -> Totals:
    """Totals of the activities' estimates (an activity without a cost counts in none), and with
    ``spent`` ({lineage: spent to date}) the spent amounts by source and overall."""
    result = Totals()
    sources: dict[str, Line] = {}
    priorities: dict[str, Line] = {}
    for item in items:
        spent_here = (spent or {}).get(item.lineage) if spent is not None else None
        if item.cost is None:
            result.uncosted += 1
        else:
            result.costed += 1
            result.total += item.cost
        if item.cost is None and spent_here is None:
            continue
        key = item.source if item.source in FundingSource.values else ""
        line = sources.setdefault(key, Line(key, _source_label(key), 0))
        line.amount += item.cost or 0
        line.count += item.cost is not None
        if item.priority in Intensity.values:
            priority = priorities.setdefault(
                item.priority, Line(item.priority, str(Intensity(item.priority).label), 0)
            )
            priority.amount += item.cost or 0
            priority.count += item.cost is not None
        if spent_here is not None:
            line.spent = (line.spent or 0) + spent_here
            result.spent = (result.spent or 0) + spent_here
    if spent is not None and result.spent is None:
        result.spent = 0
    order = [*FundingSource.values, ""]
    result.by_source = sorted(sources.values(), key=lambda line: order.index(line.key))
    result.by_priority = sorted(priorities.values(), key=lambda line: Intensity.values.index(line.key))
    return result


def rows_totals(problems: Iterable, spent: dict[str, int] | None = None) -> Totals:
    """Totals of plan rows (PlanProblem with their activities loaded)."""
    return totals(
        (
            Costed(activity.estimated_cost, activity.funding_source, problem.priority, str(activity.lineage))
            for problem in problems
            for activity in problem.activities.all()
        ),
        spent,
    )


def table_totals(table: dict) -> Totals:
    """Totals of a plan table (plans.exports.published.plan_table)."""
    return totals(
        Costed(activity["estimated_cost"], activity["funding_source"], problem["priority"], activity["id"])
        for problem in table["problems"]
        for activity in problem["activities"]
    )


def latest_spent(updates: Iterable[tuple[str, date, int, int | None]]) -> dict[str, int]:
    """{lineage: spent to date}: per activity lineage, the spent amount of its latest update that
    reports one (updates as (lineage, date, id, spent); the amount is cumulative, so the latest
    one is the whole spent to date, and an update without an amount changes nothing)."""
    latest: dict[str, tuple[date, int, int]] = {}
    for lineage, day, pk, spent in updates:
        if spent is None:
            continue
        key = str(lineage)
        if key not in latest or (day, pk) > latest[key][:2]:
            latest[key] = (day, pk, spent)
    return {lineage: value[2] for lineage, value in latest.items()}


def activity_money(activity: dict | Any) -> dict:
    """An activity's money as the files give it: cost (int or null), its text, source, its label
    and the funder."""
    cost, source, funder = activity.estimated_cost, activity.funding_source, activity.funder
    return {
        "estimated_cost": cost,
        "estimated_cost_text": format_lek(cost),
        "funding_source": source,
        "funding_source_label": str(FundingSource(source).label) if source in FundingSource.values else "",
        "funder": funder,
    }


def money_text(activity: dict) -> str:
    """An activity's money in a line: "350 000 lekë · municipal budget (Bashkia Elbasan)"."""
    parts = [activity["estimated_cost_text"]]
    source = activity["funding_source_label"]
    if source and activity["funder"]:
        parts.append(f"{source} ({activity['funder']})")
    else:
        parts.append(source or activity["funder"])
    return " · ".join(part for part in parts if part)


MONEY_FIELDS = ("estimated_cost", "funding_source", "funder")


def clean_money(fields: dict, current: Any = None) -> dict:
    """The money fields to store from a service's keyword arguments: those not given keep the
    activity's current values (``current``; none for a new activity). A negative or non-whole cost,
    an unknown source or a funder over 200 characters is refused."""
    from django.core.exceptions import ValidationError

    from kvsp.core.exports import without_control_characters

    values = {name: fields.get(name, getattr(current, name, None)) for name in MONEY_FIELDS}
    errors = cost_errors(values["estimated_cost"])
    source = values["funding_source"] or ""
    if source not in ("", *FundingSource.values):
        errors["funding_source"] = _("Choose a funding source of the list.")
    funder = " ".join(without_control_characters(values["funder"] or "").split())
    if len(funder) > 200:
        errors["funder"] = _("Keep the funder's name under 200 characters.")
    if errors:
        raise ValidationError(errors)
    return {"estimated_cost": values["estimated_cost"], "funding_source": source, "funder": funder}


# --- the plan's files ----------------------------------------------------------------------------------


def csv_cells(activity: dict | None) -> list[str]:
    """The CSV's money columns of an activity: the cost as digits (a spreadsheet sums them), the
    source's name and the funder."""
    if activity is None:
        return ["", "", ""]
    cost = activity["estimated_cost"]
    return ["" if cost is None else str(cost), activity["funding_source_label"], activity["funder"]]


def activity_lines(activity: dict) -> list[str]:
    """An activity's money as a line of its cell ("Cost: 350 000 lekë · donor (UNDP)"), if any."""
    text = money_text(activity)
    return [_("Cost: %(money)s") % {"money": text}] if text else []


def budget_lines(budget: dict) -> list[str]:
    """The plan's totals as lines of text (the DOCX): the total, then by source and by priority."""
    if not budget["activities_with_cost"]:
        return []
    lines = [_("Estimated total cost: %(amount)s") % {"amount": format_lek(budget["estimated_total"])}]
    for line in budget["by_funding_source"]:
        lines.append(
            _("By funding source, %(source)s: %(amount)s")
            % {"source": line["label"], "amount": format_lek(line["estimated"])}
        )
    for line in budget["by_priority"]:
        lines.append(
            _("By priority, %(priority)s: %(amount)s")
            % {"priority": line["label"], "amount": format_lek(line["estimated"])}
        )
    return lines
