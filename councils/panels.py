"""Panels that later apps add to a council's working page (/app/<municipality>/), so that data can
flow one way: councils never imports them. A panel is a callable ``(request, council) -> dict |
None`` returning ``{"template": ..., **context}``; it is registered from the app's ``ready()``."""

from collections.abc import Callable

_PANELS: list[Callable] = []


def register_working_panel(panel: Callable) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def working_panels(request, council) -> list[dict]:
    """The panels to show this user on the council's working page, in registration order."""
    return [found for panel in _PANELS if (found := panel(request, council)) is not None]
