"""Amounts of lek in templates: ``{{ amount|lek }}`` gives "1 250 000 lekë" in Albanian."""

from django import template

from plans.money import activity_lines, format_lek

register = template.Library()


@register.filter
def lek(amount) -> str:
    """An amount of whole lek in the active language ("" for none)."""
    if amount in (None, ""):
        return ""
    return format_lek(int(amount))


@register.filter
def money_line(activity: dict) -> str:
    """An activity of a plan table (plans.exports) as "Cost: 350 000 lekë · donor (UNDP)", or ""."""
    lines = activity_lines(activity)
    return lines[0] if lines else ""
