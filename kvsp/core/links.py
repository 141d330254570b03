"""Links from a page of a lower layer to a page of a higher one, without naming its address.

A staff page of councils, consultations, plans or monitoring shows a "Public page" button (the
portal's) and a "History" button (kvsp/audit's); the council's working page shows buttons to the
later apps. URL names may only point downward (README "Architecture"), so the lower page names a
*slot* (``public:consultation``, ``history``) and the higher app says, in its ``ready()``, which of
its URL names fills it. Templates use ``{% slot_url "public:consultation" slug pk %}`` (tag library
``kvsp_links``), which reverses like ``{% url %}``.
"""

from django.urls import NoReverseMatch, reverse

_url_names: dict[str, str] = {}


def provide_url(slot: str, url_name: str) -> None:
    """Fill a slot with one of the calling app's URL names. Called from the app's ``ready()``."""
    _url_names[slot] = url_name


def slot_url(slot: str, *args, **kwargs) -> str:
    """The address filling the slot, reversed with these arguments (NoReverseMatch when no app
    fills it, as ``{% url %}`` raises for an unknown name)."""
    if slot not in _url_names:
        raise NoReverseMatch(f"No app provides the link slot {slot!r} (kvsp/core/links.py).")
    return reverse(_url_names[slot], args=args, kwargs=kwargs)
