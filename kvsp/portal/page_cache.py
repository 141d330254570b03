"""The public pages' responses, for visitors without a session, from the shared cache.

When a plan, a report or the national overview is shared widely, nearly every reader is an
anonymous visitor and every one of them sees the same page. ``PublicPageCacheMiddleware`` keeps
the whole response of the public read pages listed in ``CACHED`` and answers later visitors from
the cache, without the session, authentication, CSRF, template or database work.

A cached response is keyed by:

- the **public generation** (kvsp/core/public_cache.py): every service that writes a row of the
  councils, meetings, consultations, plans or monitoring apps moves it on (and the signal
  receivers of kvsp/portal/apps.py catch the admin's saves), so a new meeting, concern, plan
  version or report shows at the next request;
- **today's date** in Albania: pages that say "overdue" or "in 3 days" change at midnight;
- the scheme, host, address and the query string (only ``page`` and ``year``: other parameters
  go through uncached, so random query strings cannot fill the cache);
- the language, as the locale middleware would choose it (the cookie, then the browser's header);
- the Accept header (the API answers JSON or 406 by it).

``SAFETY_SECONDS`` bounds the life of an entry: a write that moves nothing on (a raw query, a
restore) is visible after it at the latest. Only a 200 (or the plan's 302 to its newest year)
that sets no cookie and used no CSRF token is kept: a page with a form, or a message, is never
shared. The published plan's pages have their own, finer cache
(``plan_views.PlanPageCacheMiddleware``, keyed by the version) and are not here.
The cache fails open: if it does not answer, the request goes on to the view.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from kvsp.core import public_cache

# Bump when the public templates change in a way a deploy must show at once.
REVISION = "1"
SAFETY_SECONDS = 5 * 60
# The apps whose rows the public pages show.
WATCHED_APPS = ("councils", "meetings", "consultations", "plans", "monitoring")
# The public read pages served from the cache (URL names). Not here: the plan's pages (their own
# cache), files and the calendar (downloads are logged or streamed), and a citizen's concern pages.
# The Atom feeds are here: feed readers ask for them every few minutes.
CACHED = frozenset(
    {
        "portal:home",
        "portal:feed",
        "portal:council",
        "portal:council-feed",
        "portal:plan",  # the redirect to the newest year's plan
        "portal:meeting",
        "portal:consultations",
        "portal:consultation",
        "portal:consultation-progress",
        "portal:reports",
        "portal:report",
        "portal:compliance",
        "portal:compliance-methodology",
        "portal:help",
        "portal:help-role",
        "api:root",
        "api:council-list",
        "api:council-detail",
        "api:plan-list",
        "api:plan-detail",
        "api:version-detail",
    }
)
QUERY_KEPT = frozenset({"page", "year"})
KEPT_STATUS = frozenset({200, 302})
# Headers set per response by the inner middleware that must not be replayed.
_NOT_KEPT = frozenset({"set-cookie", "content-length"})


def _personal(request) -> bool:
    """Someone signed in (their navigation bar), pending messages, or an htmx fragment."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or "HTTP_HX_REQUEST" in request.META
    )


def _address(request) -> str | None:
    """What identifies the page among visitors without a session, or None: not served from here."""
    if request.method != "GET" or _personal(request) or not set(request.GET) <= QUERY_KEPT:
        return None
    try:
        if resolve(request.path_info).view_name not in CACHED:
            return None
        host = request.get_host()  # ALLOWED_HOSTS holds here too (CommonMiddleware checks it later)
    except (Resolver404, DisallowedHost):
        return None
    language = translation.get_language_from_request(request)
    # The API answers by the Accept header (JSON, or 406); pages vary by it in nothing else.
    accept = request.headers.get("Accept", "")
    address = f"{request.scheme}://{host}{request.path_info}?{request.GET.urlencode()}\n{accept}"
    return f"{language}:{hashlib.sha256(address.encode()).hexdigest()}"


class PublicPageCacheMiddleware:
    """Goes right after ``whitenoise.middleware.WhiteNoiseMiddleware`` in ``MIDDLEWARE``. The cached
    response carries the headers the inner middleware set (Content-Security-Policy,
    X-Frame-Options, Vary, Content-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = _address(request)
        if address is None:
            return self.get_response(request)
        key = public_cache.key("page", REVISION, timezone.localdate().isoformat(), address)
        if key is None:
            return self.get_response(request)
        cached = public_cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        # A page that used a CSRF token (a form) always sets the cookie again: never kept.
        if response.status_code in KEPT_STATUS and not response.streaming and not response.cookies:
            kept = [(name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT]
            public_cache.put(key, (response.status_code, kept, response.content), SAFETY_SECONDS)
        return response
