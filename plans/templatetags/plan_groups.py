"""Filters and a tag that show who a plan serves and how an indicator's values are split
(plans/groups.py): codes and split keys become names in the active language when shown, so a
frozen report's breakdown reads in either language."""

from django import template

from ..groups import breakdown_lines, disaggregation_label, group_labels, groups_served, served_text

register = template.Library()


@register.filter
def group_names(codes) -> str:
    """ "women and girls, children": a row's or an activity's groups."""
    return ", ".join(group_labels(codes))


@register.filter
def split_name(disaggregation: str) -> str:
    """ "by sex": how an indicator's values are split ("" when they are not)."""
    return disaggregation_label(disaggregation or "")


@register.filter
def split_values(breakdown, disaggregation: str = "") -> list[tuple[str, str]]:
    """A value's values per split as (label, value) pairs, in the split's order."""
    return breakdown_lines(breakdown if isinstance(breakdown, dict) else {}, disaggregation or "")


@register.inclusion_tag("plans/partials/_groups_served.html")
def groups_served_line(problems) -> dict:
    """The line "Groups served: women and girls (3 rows, 5 activities) · …" for a plan's rows
    (models with their activities prefetched, or plan_table's dicts): no query."""
    return {"served": [served_text(item) for item in groups_served(problems)]}
