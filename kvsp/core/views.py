"""Views of the core: accounts, the language switch and the health check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from . import services
from .forms import EmailAuthenticationForm, PasswordResetForm
from .tasks import HEARTBEAT_CACHE_KEY
from .twofactor.policy import must_use_two_factor


def safe_next(request, fallback: str = "/") -> str:
    """The ``next`` parameter if it points into this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """Remember the interface language the person signs in with, for the e-mails they get."""
        response = super().form_valid(form)
        user = form.get_user()
        language = getattr(self.request, "LANGUAGE_CODE", None)
        if language in dict(settings.LANGUAGES) and user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


@require_GET
def language_switch(request, code: str):
    """Remember the chosen language in a cookie and go back.

    A plain link, so it works from a cached public page: a language preference is not a protected
    state change and needs no per-request token.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = HttpResponseRedirect(safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
    )
    return response


@never_cache
def invitation_accept(request, token: str):
    """An invited person chooses their first password and is signed in."""
    user = services.invitation_user_from_token(token)
    if user is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your password is set and you are signed in."))
        if settings.KVSP_REQUIRE_2FA and must_use_two_factor(user):
            # An officer's account is not open on a password alone: straight to enrolment.
            return redirect("accounts:two-factor-setup")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/invitation_accept.html", {"form": form, "invitee": user})


@never_cache
@require_safe
def healthz(request):
    """Database, cache, broker and worker state as JSON; 200 while the database answers."""
    report = {"time": timezone.now().isoformat()}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as exc:  # the point of a health check is to report any failure
        report["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    report["cache"] = _check_cache()
    report["broker"] = _check_broker()
    report["worker"] = _check_worker()
    return JsonResponse(report, status=status)


def _check_cache() -> str:
    try:
        cache.set("kvsp:healthz", "ok", 10)
        return "ok" if cache.get("kvsp:healthz") == "ok" else "error: read back failed"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def _check_broker() -> str:
    from kvsp.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def _check_worker() -> dict:
    try:
        seen = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception as exc:
        return {"state": f"error: {exc.__class__.__name__}"}
    if not seen:
        return {"state": "unknown", "last_seen": None}
    when = parse_datetime(seen)
    fresh = when is not None and timezone.now() - when <= settings.WORKER_HEARTBEAT_MAX_AGE
    return {"state": "ok" if fresh else "stale", "last_seen": seen}
