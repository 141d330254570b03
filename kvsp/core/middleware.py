"""Request middleware of the project's own."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

_SESSION_KEY = "kvsp_last_seen"
_WRITE_EVERY = 60  # seconds: refresh the stamp at most once a minute, not on every request


class IdleTimeoutMiddleware:
    """Sign a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                # Carry on as an anonymous visitor: public pages still open, staff pages send
                # the person to the login page through their own login requirement.
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return self.get_response(request)
            if last_seen is None or now - last_seen > _WRITE_EVERY:
                request.session[_SESSION_KEY] = now
        return self.get_response(request)
