"""The moment of a step in a notice's key, written one way for every app.

A hand-off notice is keyed on its step and the moment the step was taken (``f"{kind}:{pk}:{stamp}"``):
each occurrence of the step (an agenda sent again after a change, a report returned and submitted
again within the same second) is a notice of its own, while the same occurrence, told again by a
retry, is the same key and so never sent twice. Local time, to the microsecond."""

from datetime import datetime

from django.utils import timezone


def stamp(moment: datetime | None) -> str:
    """``moment`` in a notice's key ("20270118T091502.123456"); "-" when there is none."""
    return timezone.localtime(moment).strftime("%Y%m%dT%H%M%S.%f") if moment else "-"
