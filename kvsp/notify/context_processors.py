"""The navbar's count of unread notifications (a handled one is never counted): one small query,
only when a signed-in person's page shows it (public pages of anonymous visitors read nothing)."""

from django.utils.functional import SimpleLazyObject


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .models import Notification

        return Notification.objects.filter(user=user).unread().count()

    return {"unread_notifications": SimpleLazyObject(count)}
