"""``{% slot_url "slot" arg ... %}``: the address a higher app provides for a slot (kvsp/core/links.py)."""

from django import template

from kvsp.core import links

register = template.Library()


@register.simple_tag(name="slot_url")
def slot_url(slot, *args, **kwargs):
    return links.slot_url(slot, *args, **kwargs)
