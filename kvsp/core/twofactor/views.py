"""Second-factor pages under /accounts/two-factor/: enrolment, verification, backup codes, the
person's own page, and "log out everywhere"."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login

from kvsp.core.views import safe_next

from . import policy, services
from .forms import CodeForm, EnrolForm

_FRESH_CODES = "kvsp_backup_codes"


def _verified(request, device, next_url: str, codes: list[str] | None = None):
    """Mark the session verified with ``device``, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()
    if codes is None:
        return redirect(next_url)
    request.session[_FRESH_CODES] = codes
    return redirect(reverse("accounts:two-factor-backup-codes") + "?" + urlencode({"next": next_url}))


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def two_factor_setup(request):
    """Show a new secret (QR code and text); a right code from the app confirms it."""
    next_url = safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if policy.has_confirmed_device(request.user):
        if not request.user.is_verified():
            return redirect(reverse("accounts:two-factor-verify") + "?" + urlencode({"next": next_url}))
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("accounts:two-factor")
    device = services.totp_device_pending(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrol(user=request.user, device=device, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Two-factor authentication is on."))
            return _verified(request, device, next_url, codes)
    secret = b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": _grouped(secret),
        "required": policy.must_use_two_factor(request.user),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_verify(request):
    """A code from the app, or a backup code, after the password."""
    next_url = safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.user.is_verified():
        return redirect(next_url)
    if not policy.has_confirmed_device(request.user):
        return redirect(reverse("accounts:two-factor-setup") + "?" + urlencode({"next": next_url}))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if device.persistent_id.startswith("otp_static."):
                left = services.backup_codes_left(user=request.user)
                messages.warning(
                    request,
                    _("You used a backup code; %(count)s remain. Make new ones on your two-factor page.")
                    % {"count": left},
                )
            return _verified(request, device, next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_safe
def two_factor_backup_codes(request):
    """The backup codes just made, shown once: a reload finds them gone."""
    codes = request.session.pop(_FRESH_CODES, None)
    if not codes:
        return redirect("accounts:two-factor")
    next_url = safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    return render(request, "registration/two_factor_backup_codes.html", {"codes": codes, "next": next_url})


@never_cache
@login_required
@require_safe
def two_factor_status(request):
    """The person's own page: whether the second factor is on, backup codes left."""
    context = {
        "enabled": policy.has_confirmed_device(request.user),
        "required": policy.must_use_two_factor(request.user),
        "enforced": settings.KVSP_REQUIRE_2FA,
        "codes_left": services.backup_codes_left(user=request.user),
    }
    return render(request, "registration/two_factor.html", context)


@login_required
@require_POST
def two_factor_backup_regenerate(request):
    """New backup codes (the old ones stop working), shown once."""
    if not policy.has_confirmed_device(request.user):
        return redirect("accounts:two-factor-setup")
    request.session[_FRESH_CODES] = services.backup_codes_replace(user=request.user)
    shown = reverse("accounts:two-factor-backup-codes")
    return redirect(shown + "?" + urlencode({"next": reverse("accounts:two-factor")}))


@login_required
@require_POST
def logout_everywhere(request):
    """End every session of this person, on every device, this one included."""
    services.sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
