"""Template context every page needs."""

from django.conf import settings


def site(request):
    """The public address of the site and the language choices for the switcher."""
    return {"SITE_URL": settings.SITE_URL}
