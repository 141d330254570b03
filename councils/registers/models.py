"""The referral register and the cooperation agreements register of a council.

Referrals: sensitive case work belongs to the referral mechanism (VKM 578/2018) and the child
protection units, never to this product (DOMAIN.md "Principles"). A council keeps only how many
cases of an issue it referred to a body in a month, and with what outcome: every field is a
choice, a number or a link to the council, so no field can hold a name
(tests/councils/test_registers.py proves it field by field). Correcting a figure is editing it.

Agreements: the memoranda the council signs with other bodies. Their parties are organisations,
never persons.
"""

from django.db import models
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kvsp.core.models import TimeStampedModel
from kvsp.core.uploads import validate_pdf

from ..models import SKN_ROLES, Institution, Role
from ..owned import CouncilOwned, CouncilOwnedQuerySet, council_link

# Who keeps the referral figures: the chair and the SKN (DESIGN.md "Visibility"). The national
# observer reads their totals only.
REFERRAL_ROLES = (*SKN_ROLES, Role.CHAIR)
# Who keeps the agreements: the same, and the technical secretary, who archives the council's
# signed documents (as the regulation and the minutes).
AGREEMENT_ROLES = (*REFERRAL_ROLES, Role.SECRETARY)


class IssueType(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("domestic violence")
    CHILD_PROTECTION = "child_protection", _("child protection")
    TRAFFICKING = "trafficking", _("trafficking")
    DRUGS = "drugs", _("drugs and addiction")
    JUVENILE_OFFENDING = "juvenile_offending", _("juvenile offending")
    SCHOOL_VIOLENCE = "school_violence", _("school violence")
    OTHER = "other", _("other issue")


class ReferralBody(models.TextChoices):
    REFERRAL_MECHANISM = (
        "referral_mechanism",
        _("coordinated referral mechanism against domestic violence (Mekanizmi i Koordinuar i Referimit)"),
    )
    CHILD_PROTECTION_UNIT = (
        "child_protection_unit",
        _("child protection unit (Njësia për Mbrojtjen e Fëmijëve)"),
    )
    SOCIAL_SERVICES = "social_services", _("social services")
    HEALTH_CENTRE = "health_centre", _("health centre")
    NGO = "ngo", _("a non-governmental organisation")
    POLICE = "police", _("police")
    OTHER = "other", _("other body")


class Outcome(models.TextChoices):
    ASSISTED = "assisted", _("assisted")
    REFERRED_ON = "referred_on", _("referred on")
    CLOSED = "closed", _("closed")
    PENDING = "pending", _("pending")
    DECLINED = "declined", _("declined")


MONTH_CHOICES = [(number, name) for number, name in MONTHS.items()]


class ReferralQuerySet(CouncilOwnedQuerySet):
    """Referral figures: the chair, the SKN and the platform admin; the national observer reads
    them too, for their totals (the pages show the observer totals only)."""

    def readable(self, user) -> Q:
        return self.roles_q(user, REFERRAL_ROLES, observer=True)


class ReferralCount(TimeStampedModel, CouncilOwned):
    """How many cases of one issue the council's institutions referred to one body in one month,
    and with what outcome. A count, never a case: no field holds text."""

    council = council_link("referral_counts")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), choices=MONTH_CHOICES)
    issue_type = models.CharField(_("issue"), max_length=30, choices=IssueType.choices)
    body = models.CharField(_("referred to"), max_length=30, choices=ReferralBody.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    cases = models.PositiveSmallIntegerField(_("number of cases"))

    history = HistoricalRecords()
    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral count")
        verbose_name_plural = _("referral counts")
        ordering = ["-year", "-month", "issue_type", "body", "outcome"]
        constraints = [
            # One figure per month, issue, body and outcome: the totals add up.
            models.UniqueConstraint(
                fields=["council", "year", "month", "issue_type", "body", "outcome"],
                name="councils_referral_one_count_per_key",
            ),
            models.CheckConstraint(condition=Q(cases__gte=1), name="councils_referral_cases_positive"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="councils_referral_month_in_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="councils_referral_year_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_issue_type_display()} → {self.get_body_display()}: {self.cases}"


class AgreementQuerySet(CouncilOwnedQuerySet):
    """Cooperation agreements: the chair, the SKN, the technical secretary and the platform admin;
    not plain members, not the national observer (who reads how many there are)."""

    def readable(self, user) -> Q:
        return self.roles_q(user, AGREEMENT_ROLES)


class CooperationAgreement(TimeStampedModel, CouncilOwned):
    """A memorandum or agreement of cooperation the council signed with other bodies."""

    council = council_link("agreements")
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("For example: Memorandum of cooperation with the regional education directorate."),
    )
    scope = models.TextField(_("scope"), help_text=_("What the parties agree to do together."))
    institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="agreements",
        verbose_name=_("member institutions that are parties"),
    )
    other_parties = models.CharField(
        _("other parties"),
        max_length=500,
        blank=True,
        help_text=_(
            "Organisations that are not members of the council, separated by commas. Bodies only, "
            "never the name of a person."
        ),
    )
    signed_on = models.DateField(_("date signed"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty when it has no end date.")
    )
    document = models.FileField(
        _("signed document (PDF)"),
        upload_to="councils/agreements/%Y/",
        blank=True,
        validators=[validate_pdf],
    )

    history = HistoricalRecords(m2m_fields=[institutions])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="councils_agreement_valid_after_signed",
                violation_error_message=_("An agreement cannot end before it was signed."),
            ),
        ]

    def __str__(self):
        return self.title
