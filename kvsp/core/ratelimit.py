"""Rate limits on the cache, per client address and per subject (an account, a reference code).
They fail open: without a cache the form still works."""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one the trusted proxies saw (X-Forwarded-For)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(key: str, limit: int, window: int) -> bool:
    """Count one hit on ``key``; False once more than ``limit`` hits fell in the window."""
    try:
        if cache.add(key, 1, timeout=window):
            return True
        return cache.incr(key) <= limit
    except ValueError:  # the key expired between add and incr: a new window starts
        return True
    except Exception:  # the cache is down: never refuse a citizen because of our own outage
        logger.warning("rate limit skipped: the cache is not answering")
        return True


def refused_for(scope: str, checks, window: int) -> int | None:
    """Count one hit of each ``(kind, subject, limit)`` of ``checks`` in ``scope`` over ``window``
    seconds, in order, stopping at the first over its limit: the window then, or None when all
    allow it. Subjects are hashed into the keys: no e-mail address or code sits in the cache."""
    for kind, subject, limit in checks:
        digest = hashlib.sha256(str(subject).encode()).hexdigest()[:32]
        if not allow(f"kvsp:rl:{scope}:{kind}:{digest}", limit, window):
            return window
    return None


def limit_posts(scope: str, limit_setting: str, window_setting: str):
    """Refuse POSTs from one address beyond the limit with 429, before the view touches the
    database. The answer is a self-contained page (no session, no user, no query)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                limit, window = getattr(settings, limit_setting), getattr(settings, window_setting)
                key = f"kvsp:rl:{scope}:{client_address(request)}"
                if not allow(key, limit, window):
                    body = render_to_string("429.html", {"minutes": max(1, window // 60)})
                    response = HttpResponse(body, status=429)
                    response["Retry-After"] = str(window)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
