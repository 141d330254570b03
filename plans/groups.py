"""Who a plan serves, and how an indicator's values are split: the groups a row or an activity is
tagged with (plans.tags.Group, kept as a sorted list of codes in a JSON field), the sexes and age
bands of a split indicator, and the keys of its values per split ("f", "m", "0-14", "f|0-14").

The age bands are defined here once. They follow Albanian law: a child is under 18 (law 18/2017 on
the rights and protection of the child), a young person is 15 to 29 (law 75/2019 on youth), so
0–14 and 15–17 are children (15–17 also young), 18–29 young adults, 30–64 adults and 65+ the
elderly. Changing a band's key would orphan values already recorded under it: add, never rename.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .tags import Disaggregation, Group

SEXES = (
    ("f", gettext_lazy("women and girls")),
    ("m", gettext_lazy("men and boys")),
)
AGE_BANDS = (
    ("0-14", gettext_lazy("0–14 years")),
    ("15-17", gettext_lazy("15–17 years")),
    ("18-29", gettext_lazy("18–29 years")),
    ("30-64", gettext_lazy("30–64 years")),
    ("65+", gettext_lazy("65 years and over")),
)
SEPARATOR = "|"  # between the sex and the age band of a key: "f|0-14"
LIMIT = Decimal(10) ** 10  # IndicatorValue.value holds 12 digits, 2 of them decimals

_SEX_LABELS = dict(SEXES)
_AGE_LABELS = dict(AGE_BANDS)
_GROUP_ORDER = {code: index for index, code in enumerate(Group.values)}


# --- groups served -------------------------------------------------------------------------------


def clean_groups(codes: Iterable[str] | None, field: str = "groups") -> list[str]:
    """The codes as stored: each once, sorted. An unknown code is refused (ValidationError on
    ``field``), never dropped in silence."""
    codes = [str(code) for code in (codes or [])]
    unknown = [code for code in codes if code not in Group.values]
    if unknown:
        raise ValidationError({field: _("Choose groups of the list.")})
    return sorted(set(codes))


def group_labels(codes: Iterable[str] | None) -> list[str]:
    """The groups' names in the list's order (women and girls first); an unknown code (none is
    stored: clean_groups) is left out."""
    known = [code for code in (codes or []) if code in _GROUP_ORDER]
    return [str(Group(code).label) for code in sorted(set(known), key=_GROUP_ORDER.__getitem__)]


def groups_text(codes: Iterable[str] | None) -> str:
    return ", ".join(group_labels(codes))


def groups_served(problems: Iterable) -> list[dict]:
    """Who the plan serves, from its rows' and activities' lists (no query: the rows come with
    their activities prefetched, or as ``plan_table``'s dicts): per group in the list's order,
    its ``code``, ``label`` and how many ``rows`` and ``activities`` name it. Groups no row or
    activity names are left out. An activity counts only with its own groups."""
    rows: dict[str, int] = {}
    activities: dict[str, int] = {}
    for problem in problems:
        for code in set(_codes(problem)):
            rows[code] = rows.get(code, 0) + 1
        for activity in _activities(problem):
            for code in set(_codes(activity)):
                activities[code] = activities.get(code, 0) + 1
    return [
        {"code": code, "label": str(label), "rows": rows.get(code, 0), "activities": activities.get(code, 0)}
        for code, label in Group.choices
        if code in rows or code in activities
    ]


def served_text(item: dict) -> str:
    """One item of ``groups_served``: "women and girls (3 rows, 5 activities)"."""
    counts = []
    if item["rows"]:
        counts.append(ngettext("%(count)d row", "%(count)d rows", item["rows"]) % {"count": item["rows"]})
    if item["activities"]:
        counts.append(
            ngettext("%(count)d activity", "%(count)d activities", item["activities"])
            % {"count": item["activities"]}
        )
    return f"{item['label']} ({', '.join(counts)})"


def served_line(served: list[dict]) -> str:
    """ "Groups served: women and girls (3 rows, 5 activities) · children (2 rows)" """
    return _("Groups served: %(groups)s") % {"groups": " · ".join(served_text(item) for item in served)}


def _codes(item) -> list[str]:
    codes = item["groups"] if isinstance(item, dict) else item.groups
    return [code for code in codes or [] if code in _GROUP_ORDER]


def _activities(problem) -> list:
    if isinstance(problem, dict):
        return problem["activities"]
    return list(problem.activities.all())


# --- an indicator's values per split -------------------------------------------------------------


def split_keys(disaggregation: str) -> list[tuple[str, str]]:
    """The keys of an indicator's values per split with their labels, in order; none when it is not
    split."""
    if disaggregation == Disaggregation.SEX:
        return [(key, str(label)) for key, label in SEXES]
    if disaggregation == Disaggregation.AGE:
        return [(key, str(label)) for key, label in AGE_BANDS]
    if disaggregation == Disaggregation.SEX_AGE:
        return [
            (f"{sex}{SEPARATOR}{band}", f"{sex_label}, {band_label}")
            for sex, sex_label in SEXES
            for band, band_label in AGE_BANDS
        ]
    return []


def split_label(key: str) -> str:
    """The label of a key ("f|0-14": "women and girls, 0–14 years"); an unknown key as it is."""
    sex, _sep, band = key.partition(SEPARATOR)
    if band:
        if sex in _SEX_LABELS and band in _AGE_LABELS:
            return f"{_SEX_LABELS[sex]}, {_AGE_LABELS[band]}"
        return key
    return str(_SEX_LABELS.get(key) or _AGE_LABELS.get(key) or key)


def disaggregation_label(disaggregation: str) -> str:
    """ "by sex", "by age band"…; "" when the values are not split."""
    if disaggregation in Disaggregation.values:
        return str(Disaggregation(disaggregation).label)
    return ""


def breakdown_lines(breakdown: dict | None, disaggregation: str = "") -> list[tuple[str, str]]:
    """A value's values per split as (label, value) in the split's order (keys of another split,
    as an older value may hold, after them as they are)."""
    breakdown = breakdown or {}
    order = [key for key, _label in split_keys(disaggregation) if key in breakdown]
    order += [key for key in breakdown if key not in order]
    return [(split_label(key), _decimal_text(breakdown[key])) for key in order]


def breakdown_text(breakdown: dict | None, disaggregation: str = "") -> str:
    """ "women and girls: 12; men and boys: 9" """
    return "; ".join(f"{label}: {value}" for label, value in breakdown_lines(breakdown, disaggregation))


def _decimal_text(value) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return format(number.quantize(Decimal(1)), "f")
    return format(number.normalize(), "f")


def clean_breakdown(
    disaggregation: str, parts: dict | None, total: Decimal | None
) -> tuple[dict[str, str], Decimal | None]:
    """The values per split of a split indicator as stored (decimal strings, every split key
    given) and the total they sum to. ``total``, when given, must equal the sum. Errors are keyed
    by the split ("split_f") or on "value"; an indicator that is not split takes no parts."""
    keys = split_keys(disaggregation)
    parts = parts or {}
    if not keys:
        if any(value not in (None, "") for value in parts.values()):
            raise ValidationError({"value": _("This indicator's values are not split.")})
        return {}, total
    errors = {}
    stored: dict[str, str] = {}
    for key, label in keys:
        value = parts.get(key)
        if value in (None, ""):
            errors[field_name(key)] = _("Give the value for %(split)s (0 if none).") % {"split": label}
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            errors[field_name(key)] = _("Give a number.")
            continue
        if not number.is_finite() or number < 0:
            errors[field_name(key)] = _("Give a number of 0 or more.")
            continue
        if number >= LIMIT:
            errors[field_name(key)] = _("The number is too large.")
            continue
        if number != number.quantize(Decimal("0.01")):
            errors[field_name(key)] = _("Give at most two decimals.")
            continue
        stored[key] = format(number, "f")
    unknown = [key for key in parts if key not in dict(keys) and parts[key] not in (None, "")]
    if unknown:
        errors["value"] = _("Give values only for this indicator's splits.")
    if errors:
        raise ValidationError(errors)
    computed = sum((Decimal(value) for value in stored.values()), Decimal(0))
    if computed >= LIMIT:
        raise ValidationError({"value": _("The values per split add up to more than can be stored.")})
    if total is not None and total != computed:
        raise ValidationError(
            {
                "value": _(
                    "The total %(total)s is not the sum of the values per split (%(sum)s): correct "
                    "the total or the values, or leave the total empty."
                )
                % {"total": _decimal_text(total), "sum": _decimal_text(computed)}
            }
        )
    return stored, computed


def field_name(key: str) -> str:
    """The form field of a split key ("f|0-14": "split_f_0-14"), an HTML-safe name."""
    return "split_" + key.replace(SEPARATOR, "_").replace("+", "plus")
