"""Security logging: one JSON line per event on the logger ``kvsp.security``.

Events: ``login``, ``logout``, ``login_failed``, ``lockout``, ``denied`` (every 403, and the 404 that
hides another council) and ``read`` (a non-public document, export or page with citizens' data).

Each line says who (the user's id, never the e-mail; for a failed login or a lockout a keyed hash of
the account name as typed), when (UTC), what (event, URL name, council slug, object type and id) and
from where (the client's address, behind the trusted proxies). ``security_event`` keeps only the
fields named in ``FIELDS`` and only plain values, so a password, an OTP code, a session key, a token
of the URL (the URL's path is never logged: its name is), a citizen's contact or a document's
content cannot reach the line by accident.
"""

import json
import logging
import re

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .ratelimit import client_address

logger = logging.getLogger("kvsp.security")

# The only field names a line may carry; anything else given to security_event is dropped.
FIELDS = (
    "event",
    "time",
    "user",
    "ip",
    "method",
    "url_name",
    "council",
    "object_type",
    "object_id",
    "status",
    "reason",
    "account",
    "visibility",
    "kind",
    "has_contact",
)
_MAX_CHARS = 100


def account_hash(name) -> str:
    """A keyed hash of an account name as typed (lower-cased), to tie attempts together without
    writing the e-mail address down. It changes with SECRET_KEY."""
    name = str(name or "").strip().lower()
    if not name:
        return ""
    return salted_hmac("kvsp.security.account", name).hexdigest()[:16]


def _plain(value):
    """A value a line may hold: None, a bool, an int or a short one-line string; a model instance
    becomes its primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int):
        return value
    return " ".join(str(value).split())[:_MAX_CHARS]


def _from_request(request) -> dict:
    if request is None:
        return {}
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "user": user.pk if user is not None and user.is_authenticated else None,
        "ip": client_address(request) or None,
        "method": getattr(request, "method", None),
        "url_name": match.view_name if match else None,
        "council": match.kwargs.get("slug") if match else None,
    }


def security_event(request, event: str, *, obj=None, **fields) -> dict:
    """Log one security event; returns what was logged. ``obj`` (a model instance) gives the object
    type and id; ``fields`` override what the request says (``user=``, ``council=``). Fields whose
    name is not in ``FIELDS`` are dropped."""
    line = {"event": event, "time": timezone.now().isoformat(timespec="milliseconds")}
    line.update(_from_request(request))
    if obj is not None:
        line["object_type"] = obj._meta.label_lower
        line["object_id"] = obj.pk
    line.update(fields)
    line = {name: _plain(line[name]) for name in FIELDS if line.get(name) not in (None, "")}
    logger.info(json.dumps(line, ensure_ascii=False), extra={"security": line})
    return line


# --- accounts --------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="kvsp.security.login")
def _logged_in(sender, request, user, **kwargs):
    security_event(request, "login", user=user)


@receiver(user_logged_out, dispatch_uid="kvsp.security.logout")
def _logged_out(sender, request, user, **kwargs):
    security_event(request, "logout", user=user)


@receiver(user_login_failed, dispatch_uid="kvsp.security.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the account name, hashed: never the password or anything else of the credentials.
    security_event(request, "login_failed", account=account_hash((credentials or {}).get("username")))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event(
        request,
        "lockout",
        account=account_hash(username),
        ip=(client_address(request) if request is not None else "") or ip_address,
    )


def connect_axes() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="kvsp.security.lockout")


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """AXES_CLIENT_STR_CALLABLE: what django-axes writes in its own log lines, without the e-mail."""
    return f"account={account_hash(username)} ip={ip_address}"


# --- denials ---------------------------------------------------------------------------------


class DenialLogMiddleware:
    """One ``denied`` line for every 403 answer: a PermissionDenied raised by a view (reason
    ``permission_denied``) or a 403 returned by a view or a middleware (CSRF: ``forbidden``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            reason = getattr(request, "_kvsp_denial", "forbidden")
            security_event(request, "denied", status=403, reason=reason)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request._kvsp_denial = "permission_denied"
        return None


# --- secrets in addresses, in any line of the console ------------------------------------------

_TOKEN_PATHS = (
    (re.compile(r"(/accounts/invitation/)[^/\s?\"']+"), r"\1[redacted]"),
    (re.compile(r"(/accounts/password/reset/)[^/\s?\"']+/[^/\s?\"']+"), r"\1[redacted]"),
    (re.compile(r"(/calendar/)[^/\s?\"']+\.ics"), r"\1[redacted].ics"),
    (re.compile(r"([?&](?:token|key|code|otp|password|secret)=)[^&\s\"']+", re.I), r"\1[redacted]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _TOKEN_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokensFilter(logging.Filter):
    """On the console handler: Django's own lines ("Not Found: /accounts/invitation/<token>/")
    name the path; the secret part of such a path is replaced before the line is written."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter to report
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
