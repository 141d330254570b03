"""Writes on second factors: enrolment, backup codes, verification and the admin's reset."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

security_log = logging.getLogger("kvsp.security")

BACKUP_CODE_COUNT = 10
TOTP_NAME = "KVSP"
BACKUP_NAME = "backup"


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's device being set up (created with a new secret on first call); reloading the
    enrolment page keeps the same secret, so a code from an already scanned QR still works."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def confirmed_totp_device(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def backup_codes_replace(*, user) -> list[str]:
    """Ten new single-use backup codes; the old ones stop working. Returned once, never stored
    elsewhere than django-otp's table."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    security_log.info("two-factor backup codes replaced: user=%s", user.pk)
    return codes


def _refusal(device) -> ValidationError | None:
    """A form error while the device's throttling makes the person wait, else ``None``."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    if until is None:
        return ValidationError(_("Too many wrong codes. Wait a moment and try again."), code="throttled")
    return ValidationError(
        _("Too many wrong codes. Try again after %(time)s."),
        code="throttled",
        params={"time": formats.time_format(timezone.localtime(until), "H:i:s")},
    )


def _check(*, user, device, token: str):
    """The device if ``token`` is right for it; a ValidationError (wrong or throttled) if not."""
    refusal = _refusal(device)
    if refusal is not None:
        raise refusal
    verified = verify_token(user, device.persistent_id, token)
    if verified is None:
        security_log.warning("two-factor code refused: user=%s device=%s", user.pk, device.persistent_id)
        raise ValidationError(_("This code is not correct. Check the time on your phone and try again."))
    return verified


def normalize_code(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def totp_enrol(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the pending device with a code from the app; returns the new backup codes."""
    _check(user=user, device=device, token=normalize_code(token))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_replace(user=user)
    security_log.info("two-factor enrolled: user=%s", user.pk)
    return codes


def second_factor_verify(*, user, token: str):
    """The device that accepts ``token``: a six-digit code from the app, or an unused backup code
    (which is then spent). Raises ValidationError for a wrong code or while throttled."""
    token = normalize_code(token)
    if token.isdigit():
        device = confirmed_totp_device(user=user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(_("This code is not correct. Check the time on your phone and try again."))
    return _check(user=user, device=device, token=token)


@transaction.atomic
def sessions_end_all(*, user, reason: str = "Logged out everywhere") -> None:
    """End every session of ``user``: raising the epoch changes the session hash."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.session_epoch += 1
    user._change_reason = reason  # the history row says why
    user.save(update_fields=["session_epoch"])


@transaction.atomic
def two_factor_reset(*, user, by) -> None:
    """A platform admin removes a person's second factor (a lost phone): every device and backup
    code goes, and every session of theirs ends; they set it up again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_all(user=user, reason="Two-factor authentication reset")
    security_log.warning("two-factor reset: user=%s by=%s", user.pk, by.pk)
