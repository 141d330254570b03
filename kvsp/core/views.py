"""Views of the core: accounts, the language switch and the health check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from . import health, services
from .forms import EmailAuthenticationForm, PasswordResetForm
from .ratelimit import client_address, refused_for
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

    def form_valid(self, form):
        # Limited per address and per account as typed (known or not, so the answer reveals nothing):
        # over it, the same page with a message, and nothing is sent.
        window = refused_for(
            "password-reset",
            [
                ("address", client_address(self.request), settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS),
                (
                    "account",
                    form.cleaned_data["email"].strip().lower(),
                    settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT,
                ),
            ],
            settings.PASSWORD_RESET_RATE_WINDOW,
        )
        if window is None:
            return super().form_valid(form)
        minutes = max(1, window // 60)
        form.add_error(
            None,
            ngettext(
                "Too many reset requests for this address or from your connection. Please wait %(minutes)d "
                "minute and ask again; a message already sent stays valid.",
                "Too many reset requests for this address or from your connection. Please wait %(minutes)d "
                "minutes and ask again; a message already sent stays valid.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(window)
        return response


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
    """200 "ok" while the database answers, else 503 "unavailable"; within a second whatever the
    state of Redis. Staff, and monitors sending ``Authorization: Bearer <KVSP_HEALTH_TOKEN>``, get
    each part's state and timing as JSON; anyone else learns nothing more (kvsp/core/health.py)."""
    healthy, detail = health.report()
    status = 200 if healthy else 503
    if health.may_see_detail(request):
        return JsonResponse(detail, status=status)
    return HttpResponse("ok" if healthy else "unavailable", status=status, content_type="text/plain")
