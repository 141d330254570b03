"""The top bar's count of what waits for the signed-in person (councils/waiting.py): read only when
a page shows it, from the cache when it can; anonymous visitors read nothing."""

from django.utils.functional import SimpleLazyObject

REQUEST_ITEMS = "_kvsp_waiting_items"


def waiting(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .waiting import waiting_count

        # The /app/ page lists the items itself: the count is theirs, not a second computation.
        items = getattr(request, REQUEST_ITEMS, None)
        return len(items) if items is not None else waiting_count(user)

    return {"waiting_count": SimpleLazyObject(count)}
