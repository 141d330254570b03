"""Writes on user accounts: invitations and accepting them."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from kvsp.core.models import User
from kvsp.notify import kinds
from kvsp.notify import services as notify
from kvsp.notify.models import OutboxMessage

_INVITATION_SALT = "kvsp.core.invitation"


def _account_state(user: User) -> str:
    """Changes as soon as the password is set, so an invitation link works only once."""
    value = f"{user.pk}|{user.password}|{user.is_active}"
    return salted_hmac(_INVITATION_SALT, value).hexdigest()[:24]


def invitation_token_make(user: User) -> str:
    """A signed, expiring token naming the user and the state of their account."""
    return signing.dumps({"u": user.pk, "s": _account_state(user)}, salt=_INVITATION_SALT)


def invitation_user_from_token(token: str):
    """The invited user, or ``None`` for a forged, expired or already used token."""
    try:
        data = signing.loads(
            token,
            salt=_INVITATION_SALT,
            max_age=settings.INVITATION_MAX_AGE,
        )
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    if not constant_time_compare(data.get("s", ""), _account_state(user)):
        return None
    return user


@transaction.atomic
def user_invite(*, email: str, full_name: str, invited_by, language: str = "sq"):
    """Create an account without a password (or reuse a pending one) and e-mail its link.

    Someone who already has a working account is not invited again: they just sign in.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.has_usable_password():
        raise ValidationError(_("%(email)s already has an account and can sign in."), params={"email": email})
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name, language=language)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _invitation_enqueue(user, invited_by)
    return user


# An invitation sent again this soon is the same click twice (a double click, two tabs): one e-mail.
INVITATION_REPEAT_AFTER = timedelta(minutes=10)


def _invitation_enqueue(user: User, invited_by) -> None:
    """Put the invitation in the outbox, in the caller's transaction (the worker sends it, later
    if the mail server is down); not if one was put there for this person a moment ago."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # two requests at once: in turn
    recent = OutboxMessage.objects.filter(
        kind=kinds.ACCOUNT_INVITATION, user=user, created_at__gte=timezone.now() - INVITATION_REPEAT_AFTER
    )
    if recent.exists():
        return
    token = invitation_token_make(user)
    notify.enqueue(
        recipients=[user],
        kind=kinds.ACCOUNT_INVITATION,
        key=f"{kinds.ACCOUNT_INVITATION}:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:16]}",
        template="invitation",
        context={
            "link": settings.SITE_URL + reverse("accounts:invitation-accept", kwargs={"token": token}),
            "invited_by": invited_by,
            "user": user,
            "days": settings.INVITATION_MAX_AGE.days,
        },
    )


@transaction.atomic
def invitation_accept(*, user: User, password: str):
    """Set the invited user's first password; the link stops working at once."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
