"""The published plan at its public addresses (DESIGN.md "Public addresses", a contract):

- ``/<municipality>/plan/``: a redirect to the newest year with a published plan;
- ``/<municipality>/plan/<year>/``: the newest approved version of that year's plan;
- ``/<municipality>/plan/<year>/v<n>/``: approved version n, permanently (a draft's number: 404);
- ``plan.pdf``, ``plan.csv``, ``plan.json`` and ``plan.docx`` beside each of the two;
- ``/<municipality>/plan/<year>/card/``: a plain-HTML link card for member institutions' websites.

No per-request token: the plan's body is rendered once per version and language and kept in the
cache (an approved version never changes). The key also carries the plan's newest approved number
and a stamp of its publications record, read in the same single query that finds the version, so
a newer version or a new publication shows at once. The cache fails open: if it does not answer,
the page is rendered uncached, never a 500.

``PlanPageCacheMiddleware`` goes one step further for anonymous visitors (nearly all of the
page's readers): placed right after WhiteNoise it answers with the page's whole response from the
cache, without the session, authentication, CSRF, template or (most of the time) database work —
as fast as a static file (bench/plan_page.py).
"""

import logging
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from plans import exports, selectors
from plans.models import CommentPeriod, PlanFile, PlanVersion
from plans.money import table_totals
from plans.tasks import render_plan_files_task, render_plan_pdf

from .lookups import plan_version_path

logger = logging.getLogger(__name__)

# Bump when the plan page's templates or the files' layout change: cached copies are then unused.
# 4: the link to what changed after public comment; 5: each row's administrative unit
PAGE_REVISION = "5"  # 2: the approving decision named by its number per council and year; 3: costs
CACHE_SECONDS = 60 * 60 * 24 * 7


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # a cache outage: render it, don't fail
        logger.warning("plan page: the cache is not answering")
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value, timeout=CACHE_SECONDS)
    except Exception:
        logger.warning("plan page: not cached, the cache is not answering")


def _published(slug: str, year: int, number: int | None = None) -> PlanVersion:
    version = selectors.published_version(slug, year, number)
    if version is None:
        raise Http404
    return version


@require_safe
def plan_decision(request, slug, year, number):
    """/<municipality>/plan/<year>/v<n>/decision.pdf: the signed and stamped council decision that
    approved the version (a public act), as an attachment; 404 if none was uploaded."""
    version = _published(slug, year, number)
    if not version.signed_scan:
        raise Http404
    try:
        handle = version.signed_scan.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"vendimi-plani-{slug}-{year}-v{number}.pdf",
        content_type="application/pdf",
    )


@require_safe
def plan_latest(request, slug):
    """/<municipality>/plan/: the newest year's published plan."""
    year = selectors.newest_published_year(slug)
    if year is None:
        raise Http404
    return HttpResponseRedirect(reverse("portal:plan-year", args=[slug, year]))


def _body_context(version: PlanVersion) -> dict:
    table = exports.plan_table(version)
    council = version.plan.council
    return {
        "version": version,
        "council": council,
        "table": table,
        "headers": exports.header_labels(),
        "groups": exports.table_groups(table),
        "money": table_totals(table),
        "history": selectors.version_history(version.plan),
        "publications": selectors.publications(version.plan),
        "base": plan_version_path(version),
        "card": reverse("portal:plan-card", args=[council.slug, version.plan.year]),
        "meeting_public": version.meeting is not None and version.meeting.is_public,
        # Opened for public comment before approval (plans/comments.py): the link to what changed.
        "comment_period": CommentPeriod.objects.filter(version=version).first(),
    }


def _page_key(version: PlanVersion) -> str:
    stamp = version.publications_stamp.isoformat() if version.publications_stamp else "-"
    return ":".join(
        [
            "kvsp:plan-page",
            PAGE_REVISION,
            str(version.pk),
            get_language(),
            str(version.newest_number),
            str(version.publications_count or 0),
            stamp,
        ]
    )


def _page(request, version: PlanVersion, *, newest_address: bool):
    key = _page_key(version)
    body = _cache_get(key)
    if body is None:
        body = render_to_string("portal/plan_body.html", _body_context(version))
        _cache_set(key, body)
    body = mark_safe(body)  # noqa: S308 -- our own template's output, kept in our own cache
    council = version.plan.council
    return render(
        request,
        "portal/plan_detail.html",
        {
            "council": council,
            "version": version,
            "title": exports.plan_title(version),
            "body": body,
            "newest_address": newest_address,
            "permanent": plan_version_path(version),
        },
    )


@require_safe
def plan_year(request, slug, year):
    """/<municipality>/plan/<year>/: the newest approved version of the year's plan."""
    return _page(request, _published(slug, year), newest_address=True)


@require_safe
def plan_version(request, slug, year, number):
    """/<municipality>/plan/<year>/v<n>/: an approved version, at its permanent address."""
    return _page(request, _published(slug, year, number), newest_address=False)


# --- files --------------------------------------------------------------------------------------


def _filename(version: PlanVersion, extension: str) -> str:
    return f"plani-{version.plan.council.slug}-{version.plan.year}-v{version.number}.{extension}"


def _generated(version: PlanVersion, kind: str, make) -> bytes:
    key = f"kvsp:plan-file:{PAGE_REVISION}:{version.pk}:{get_language()}:{kind}"
    body = _cache_get(key)
    if body is None:
        body = make(version)
        _cache_set(key, body)
    return body


def _pdf(version: PlanVersion):
    """The PDF stored when the version was approved, in the visitor's language. If the worker has
    not made it yet (just approved, or no worker running), make and store it now, through the same
    task function."""
    language = get_language()
    stored = PlanFile.objects.filter(version=version, kind=PlanFile.Kind.PDF, language=language).first()
    if stored is None:
        # One request renders and stores; others meanwhile are asked to come back shortly, so a
        # crowd of visitors cannot multiply the work while no worker runs.
        lock = f"kvsp:plan-pdf-render:{version.pk}"
        try:
            mine = cache.add(lock, 1, timeout=120)
        except Exception:  # no cache: render anyway
            mine = True
        if not mine:
            response = HttpResponse(
                _("The PDF is being prepared. Please try again in a minute."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "30"
            return response
        try:
            render_plan_files_task(version.pk)
        except Exception:  # storage trouble: serve a fresh rendering, store it another time
            logger.exception("plan PDF of version %s could not be stored", version.pk)
        finally:
            try:
                cache.delete(lock)
            except Exception:
                logger.warning("plan PDF lock not released: the cache is not answering")
        stored = PlanFile.objects.filter(version=version, kind=PlanFile.Kind.PDF, language=language).first()
    if stored is not None:
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError:
            logger.error("plan PDF %s is recorded but missing from storage", stored.pk)
        else:
            response = FileResponse(
                handle, content_type="application/pdf", filename=_filename(version, "pdf")
            )
            response["ETag"] = f'"{stored.sha256}"'
            return response
    response = HttpResponse(render_plan_pdf(version, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(version, "pdf")}"'
    return response


def _csv(version: PlanVersion):
    response = HttpResponse(
        _generated(version, "csv", exports.plan_csv), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "csv")}"'
    return response


def _json(version: PlanVersion):
    body = _generated(version, "json", exports.plan_json)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_filename(version, "json")}"'
    return response


def _docx(version: PlanVersion):
    body = _generated(version, "docx", exports.plan_docx)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "docx")}"'
    return response


# The file of each kind in lookups.PLAN_FILES (the URLs are made from that list).
FILES = {"pdf": _pdf, "csv": _csv, "json": _json, "docx": _docx}


def plan_file(kind: str, *, permanent: bool):
    """A view serving one of the plan's files, beside the year's address or a version's."""

    if permanent:

        @require_safe
        def view(request, slug, year, number):
            return FILES[kind](_published(slug, year, number))
    else:

        @require_safe
        def view(request, slug, year):
            return FILES[kind](_published(slug, year))

    view.__name__ = f"plan_{'version_' if permanent else ''}{kind}"
    view.__doc__ = f"The plan as {kind.upper()}."
    return view


# --- the link card ------------------------------------------------------------------------------


@require_safe
def plan_card(request, slug, year):
    """/<municipality>/plan/<year>/card/: HTML to paste into an institution's website (no iframe,
    no script), linking to the permanent address of the newest approved version."""
    version = _published(slug, year)
    snippet = render_to_string(
        "portal/plan_card_snippet.html",
        {
            "version": version,
            "title": exports.plan_title(version),
            "decision": exports.decision_text(version),
            "address": settings.SITE_URL + plan_version_path(version),
        },
    ).strip()
    return render(
        request,
        "portal/plan_card.html",
        {
            "council": version.plan.council,
            "version": version,
            "title": exports.plan_title(version),
            "snippet": snippet,
        },
    )


# --- the whole page for anonymous visitors ------------------------------------------------------

PAGE_PATH = re.compile(r"^/(?P<slug>[-a-z0-9]+)/plan/(?P<year>[0-9]{4})/(?:v(?P<number>[0-9]{1,4})/)?$")
# How long an anonymous visitor may see the page without the stamp being read again: a newer
# version or a new publication reaches anonymous visitors within this many seconds (signed-in
# people, the council's staff among them, see it at once).
FRESH_SECONDS = 10
# Headers the outer middleware (SecurityMiddleware) sets again, or the response recomputes.
_NOT_KEPT = {"content-length", "set-cookie"}


class _FreshPages:
    """The last few pages served, in this process's memory, each for FRESH_SECONDS: the hot path
    then reads neither the database nor the shared cache. Bounded, so memory stays small."""

    def __init__(self, size: int = 64):
        self.size = size
        self.items: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return found[1]

    def set(self, key: str, value: tuple) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + FRESH_SECONDS, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


fresh_pages = _FreshPages()


class _FreshInCache:
    """The same, in the default cache, when that cache is already this process's memory
    (LocMemCache: development and the test suite): then ``cache.clear()`` empties it too."""

    def get(self, key: str):
        return _cache_get(key)

    def set(self, key: str, value: tuple) -> None:
        try:
            cache.set(key, value, timeout=FRESH_SECONDS)
        except Exception:
            logger.warning("plan page: not cached, the cache is not answering")


def _fresh_store():
    return _FreshInCache() if isinstance(caches["default"], LocMemCache) else fresh_pages


def _key_part(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class PlanPageCacheMiddleware:
    """Serve /<municipality>/plan/<year>/ and .../v<n>/ to anonymous visitors from the cache.

    Goes right after ``whitenoise.middleware.WhiteNoiseMiddleware`` in ``MIDDLEWARE``, so a cached
    page costs what a static file costs: no session, authentication, CSRF, template or database
    work. A visitor with a session or pending messages (someone signed in) goes through the whole
    stack as usual, since the navigation bar is theirs.

    The response is cached by address, language (as the locale middleware would choose it: the
    cookie, then the browser's header) and stamp (version, newest approved number, publications
    record: ``plans.selectors.page_stamp``, one small query), for days, in the shared cache; and,
    for ``FRESH_SECONDS``, by address and language alone in the process's memory, which answers
    without reading the stamp or the shared cache (with LocMemCache, in that cache, so that clearing
    it clears everything). The cached response carries the headers the inner middleware set
    (Content-Security-Policy, X-Frame-Options, Vary, Content-Language). Fails open: without a
    cache, the request goes on to the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = PAGE_PATH.match(request.path_info)
        if match is None or request.method != "GET" or self._personal(request):
            return self.get_response(request)
        try:
            request.get_host()  # ALLOWED_HOSTS holds here too (CommonMiddleware checks it later)
        except DisallowedHost:
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        fresh_key = f"kvsp:plan-response:{PAGE_REVISION}:{request.path_info}:{language}"
        fresh = _fresh_store()
        cached = fresh.get(fresh_key)
        if cached is not None:
            return self._rebuild(cached)
        number = match["number"]
        stamp = selectors.page_stamp(match["slug"], int(match["year"]), int(number) if number else None)
        if stamp is None:
            return self.get_response(request)  # the view answers 404
        key = ":".join([fresh_key, *(_key_part(part) for part in stamp)])
        cached = _cache_get(key)
        if cached is None:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            cached = ([(k, v) for k, v in response.items() if k.lower() not in _NOT_KEPT], response.content)
            _cache_set(key, cached)
            fresh.set(fresh_key, cached)
            return response
        fresh.set(fresh_key, cached)
        return self._rebuild(cached)

    @staticmethod
    def _personal(request) -> bool:
        return settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES

    @staticmethod
    def _rebuild(cached) -> HttpResponse:
        headers, content = cached
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response
