"""Writes of the registers: referral figures and cooperation agreements. Each in one transaction;
a refusal is a ``ValidationError`` in the user's language, keyed by field where it has one."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kvsp.core import public_cache

from ..models import Council, Institution, today
from .models import CooperationAgreement, ReferralCount

REFERRAL_KEY = ("year", "month", "issue_type", "body", "outcome")


def _duplicate(
    *, council: Council, year: int, month: int, issue_type: str, body: str, outcome: str, exclude=None
) -> ReferralCount | None:
    """The council's figure with this month, issue, body and outcome (other than ``exclude``)."""
    found = ReferralCount.objects.filter(
        council=council, year=year, month=month, issue_type=issue_type, body=body, outcome=outcome
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def _check_referral(council: Council, values: dict, exclude: ReferralCount | None) -> None:
    errors: dict[str, str] = {}
    now = today()
    if not 2000 <= values["year"] <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    elif (values["year"], values["month"]) > (now.year, now.month):
        errors["month"] = _("This month has not begun yet: record its referrals once it has.")
    if values["cases"] < 1:
        errors["cases"] = _("Give a number of cases of one or more.")
    if errors:
        raise ValidationError(errors)
    existing = _duplicate(council=council, exclude=exclude, **{k: values[k] for k in REFERRAL_KEY})
    if existing is not None:
        raise ValidationError(
            _(
                "This month already has a figure for this issue, body and outcome (%(cases)s cases). "
                "Edit that figure instead of adding another."
            ),
            code="duplicate",
            params={"cases": existing.cases, "existing": existing.pk},
        )


def _saved(save) -> ReferralCount:
    """Save in a savepoint: a figure recorded at the same moment by someone else is a refusal."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as clash:
        raise ValidationError(
            _("Someone recorded this figure a moment ago. Reload the register and edit it there."),
            code="duplicate",
        ) from clash


@transaction.atomic
@public_cache.invalidates
def referral_add(
    *, council: Council, year: int, month: int, issue_type: str, body: str, outcome: str, cases: int
) -> ReferralCount:
    """Record how many cases of an issue were referred to a body in a month, with an outcome."""
    values = {
        "year": year,
        "month": month,
        "issue_type": issue_type,
        "body": body,
        "outcome": outcome,
        "cases": cases,
    }
    _check_referral(council, values, None)
    return _saved(lambda: ReferralCount.objects.create(council=council, **values))


@transaction.atomic
@public_cache.invalidates
def referral_update(
    *,
    count: ReferralCount,
    year: int,
    month: int,
    issue_type: str,
    body: str,
    outcome: str,
    cases: int,
) -> ReferralCount:
    """Correct a figure (its number, or what it counts)."""
    count = ReferralCount.objects.select_for_update().get(pk=count.pk)
    values = {
        "year": year,
        "month": month,
        "issue_type": issue_type,
        "body": body,
        "outcome": outcome,
        "cases": cases,
    }
    _check_referral(count.council, values, count)
    for name, value in values.items():
        setattr(count, name, value)

    def save() -> ReferralCount:
        count.save()
        return count

    return _saved(save)


def _check_agreement(
    *,
    council: Council,
    title: str,
    scope: str,
    institutions: list[Institution],
    other_parties: str,
    signed_on: date,
    valid_until: date | None,
) -> None:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the agreement's title.")
    if not scope:
        errors["scope"] = _("Say what the parties agree to do together.")
    if not institutions and not other_parties:
        errors["other_parties"] = _("Name at least one party: a member institution or another organisation.")
    allowed = set(Institution.objects.filter(seats__council=council).values_list("pk", flat=True))
    if any(institution.pk not in allowed for institution in institutions):
        errors["institutions"] = _("Choose institutions of this council.")
    if signed_on > today():
        errors["signed_on"] = _(
            "An agreement is recorded once it is signed: the date cannot be in the future."
        )
    if valid_until is not None and valid_until < signed_on:
        errors["valid_until"] = _("An agreement cannot end before it was signed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@public_cache.invalidates
def agreement_add(
    *,
    council: Council,
    title: str,
    scope: str,
    signed_on: date,
    institutions: Iterable[Institution] = (),
    other_parties: str = "",
    valid_until: date | None = None,
    document: UploadedFile | None = None,
) -> CooperationAgreement:
    """Record a cooperation agreement the council signed, with its signed document (a PDF)."""
    title, scope, other_parties = " ".join(title.split()), scope.strip(), " ".join(other_parties.split())
    parties = list(institutions)
    _check_agreement(
        council=council,
        title=title,
        scope=scope,
        institutions=parties,
        other_parties=other_parties,
        signed_on=signed_on,
        valid_until=valid_until,
    )
    agreement = CooperationAgreement(
        council=council,
        title=title,
        scope=scope,
        other_parties=other_parties,
        signed_on=signed_on,
        valid_until=valid_until,
    )
    if document:
        agreement.document = document
    agreement.save()
    agreement.institutions.set(parties)
    return agreement


@transaction.atomic
@public_cache.invalidates
def agreement_update(
    *,
    agreement: CooperationAgreement,
    title: str,
    scope: str,
    signed_on: date,
    institutions: Iterable[Institution] = (),
    other_parties: str = "",
    valid_until: date | None = None,
    document: UploadedFile | None = None,
) -> CooperationAgreement:
    """Correct an agreement's record; a new document replaces the old one (which stays in the
    record's history)."""
    agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    title, scope, other_parties = " ".join(title.split()), scope.strip(), " ".join(other_parties.split())
    parties = list(institutions)
    _check_agreement(
        council=agreement.council,
        title=title,
        scope=scope,
        institutions=parties,
        other_parties=other_parties,
        signed_on=signed_on,
        valid_until=valid_until,
    )
    agreement.title, agreement.scope, agreement.other_parties = title, scope, other_parties
    agreement.signed_on, agreement.valid_until = signed_on, valid_until
    if document:
        agreement.document = document
    agreement.save()
    agreement.institutions.set(parties)
    return agreement
