"""Councils, their member institutions, the people who sit on them and the roles they hold.

Reference data (counties, municipalities, administrative units) is loaded by a migration from the
project's own CSV files in ``councils/data/``.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from kvsp.core.fields import ends_after_start
from kvsp.core.models import TimeStampedModel
from kvsp.core.uploads import validate_pdf

from .owned import CouncilOwned, CouncilOwnedQuerySet, council_link, councils_where

# First path segments that belong to the application, never to a municipality.
RESERVED_SLUGS = (
    "app",
    "api",
    "admin",
    "accounts",
    "static",
    "media",
    "healthz",
    "compliance",
    "help",
    "national",
)


class GrammaticalGender(models.TextChoices):
    """Albanian grammatical gender: it chooses the article and the agreement of what follows."""

    MASCULINE = "m", pgettext_lazy("grammatical gender", "masculine")
    FEMININE = "f", pgettext_lazy("grammatical gender", "feminine")


class PersonGender(models.TextChoices):
    """A person's gender as recorded, only to make Albanian agree ("e pranishme")."""

    MAN = "m", _("man")
    WOMAN = "f", _("woman")


def today() -> date:
    """Today in Europe/Tirane: the day on which memberships start and end."""
    return timezone.localdate()


class County(TimeStampedModel):
    """Qark: one of Albania's 12 counties."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address name"), max_length=100, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(TimeStampedModel):
    """Bashki: one of the 61 municipalities. Its slug is a public address and never changes."""

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address name"), max_length=100, unique=True, editable=False)
    gender = models.CharField(
        _("grammatical gender"), max_length=1, choices=GrammaticalGender.choices, blank=True
    )
    definite = models.CharField(
        _("definite form"),
        max_length=100,
        blank=True,
        help_text=_("The name with its article, as in “Elbasani është…”."),
    )
    genitive = models.CharField(
        _("genitive form"),
        max_length=100,
        blank=True,
        help_text=_("The name after “i/e/të”, as in “plani i Elbasanit”."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS), name="councils_municipality_slug_not_reserved"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def definite_name(self) -> str:
        """The name with its article ("Elbasani"); the bare name when no form is recorded."""
        return self.definite or self.name

    @property
    def genitive_name(self) -> str:
        """The name after a linking article ("plani i Elbasanit"); bare when none is recorded."""
        return self.genitive or self.name

    @property
    def of_municipality(self) -> str:
        """ "Bashkisë Elbasan": the municipality after "i/e/të" (the name itself stays bare)."""
        return pgettext("municipality, genitive", "Municipality of %(name)s") % {"name": self.name}


class AdministrativeUnit(TimeStampedModel):
    """Njësi administrative: a unit inside a municipality (a town district or a group of villages)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="units", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="councils_unit_unique_name"),
        ]

    def __str__(self):
        return self.name


class CouncilQuerySet(models.QuerySet):
    def for_user(self, user):
        """The councils a user may open as staff: their own, or all for national roles."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.is_national_observer:
            return self.all()
        return self.filter(pk__in=councils_where(user, guests=True))

    def public(self):
        return self.select_related("municipality__county")


class Council(TimeStampedModel):
    """Këshilli Vendor i Sigurisë Publike of one municipality."""

    class Status(models.TextChoices):
        NOT_ESTABLISHED = "not_established", _("not established")
        ESTABLISHED = "established", _("established")
        ACTIVE = "active", _("active")

    class ChairHolder(models.TextChoices):
        MAYOR = "mayor", _("the mayor")
        PREFECT = "prefect", _("the county prefect")
        OTHER = "other", _("another office holder")

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="council", verbose_name=_("municipality")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_ESTABLISHED
    )
    founding_decision_number = models.CharField(_("founding decision number"), max_length=50, blank=True)
    founding_decision_date = models.DateField(_("founding decision date"), null=True, blank=True)
    founding_decision_body = models.CharField(
        _("issued by"),
        max_length=200,
        blank=True,
        help_text=_("For example: Mayor of Elbasan, Prefect of Elbasan County."),
    )
    regulation_document = models.FileField(
        _("regulation (PDF)"),
        upload_to="councils/regulations/",
        blank=True,
        validators=[validate_pdf],
    )
    # The municipal council's decision approving the regulation, recorded beside its file.
    regulation_approval_number = models.CharField(
        _("number of the municipal council's decision approving the regulation"),
        max_length=50,
        blank=True,
        help_text=_("For example: 45. Shown on the council's public page with its date."),
    )
    regulation_approval_date = models.DateField(
        _("date of the municipal council's decision approving the regulation"), null=True, blank=True
    )
    chair_holder = models.CharField(
        _("chaired by"),
        max_length=20,
        choices=ChairHolder.choices,
        default=ChairHolder.MAYOR,
        help_text=_("The model regulation names the mayor; newer rules let the prefect chair."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("A public address of the council, shown on its page.")
    )
    members_update_own_activities = models.BooleanField(
        _("members update their institution's activities"),
        default=False,
        help_text=_(
            "When ticked, a member institution's representative records the status of the plan "
            "activities their institution leads or partners in. The SKN updates every activity."
        ),
    )

    history = HistoricalRecords()
    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["municipality__name"]

    def __str__(self):
        return str(self.municipality)

    @property
    def slug(self) -> str:
        return self.municipality.slug

    @property
    def regulation_approved(self) -> bool:
        """The municipal council's approving decision is recorded (its number and its date)."""
        return bool(self.regulation_approval_number and self.regulation_approval_date)


class Institution(TimeStampedModel):
    """A public body or organisation. One institution may serve several councils (a district
    prosecution office works with up to six municipalities)."""

    class Category(models.TextChoices):
        MAYOR = "a", _("(a) Municipality (mayor)")
        MUNICIPAL_COUNCIL = "b", _("(b) Municipal council (its chair)")
        POLICE = "c", _("(c) Police commissariat")
        PROSECUTION = "d", _("(d) District prosecution office")
        PARTY = "e", _("(e) Political party in the municipal council")
        EDUCATION_OFFICE = "f", _("(f) Local education office")
        PUBLIC_HEALTH = "g", _("(g) Local public health directorate")
        STATE_SOCIAL_SERVICE = "h", _("(h) Regional state social service")
        RELIGIOUS = "i", _("(i) Religious community")
        CHAMBER = "j", _("(j) Chamber of commerce and industry")
        CIVIL_SOCIETY = "k", _("(k) Civil society")
        EMERGENCIES = "l", _("(l) Civil emergencies")
        MUNICIPAL_SOCIAL_SERVICE = "m", _("(m) Municipal social service")
        CHILD_PROTECTION = "n", _("(n) Child protection and domestic violence unit")
        SCHOOLS = "o", _("(o) Educational institutions")
        PREFECT = "prefect", _("Invited: county prefecture")
        COURT = "court", _("Invited: court")
        OTHER = "other", _("Invited: other institution or interest group")

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("county"),
    )
    # Who heads the institution (the mayor, the police chief, the chief prosecutor): the SKN's
    # summary after each of its meetings goes to the heads of its three institutions. Never public.
    head_name = models.CharField(_("head of the institution"), max_length=150, blank=True)
    head_email = models.EmailField(
        _("e-mail of the head"),
        blank=True,
        help_text=_("Receives the SKN's summaries. Never shown publicly."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "county"], name="councils_institution_unique_name"),
        ]

    def __str__(self):
        return self.name


class SeatQuerySet(CouncilOwnedQuerySet):
    def active(self, on: date | None = None):
        """Seats that are current on ``on`` (default today): started, and not yet ended."""
        on = on or today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)


class CouncilInstitution(TimeStampedModel, CouncilOwned):
    """An institution's place in a council's composition, from when to when."""

    council = council_link("seats")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="seats", verbose_name=_("institution")
    )
    start_date = models.DateField(_("member since"), default=today)
    end_date = models.DateField(_("member until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("member institution")
        verbose_name_plural = _("member institutions")
        ordering = ["institution__category", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "institution"],
                condition=Q(end_date__isnull=True),
                name="councils_seat_one_open_per_institution",
            ),
            ends_after_start("councils_seat_end_after_start"),
        ]

    def __str__(self):
        return f"{self.institution} — {self.council}"


class Person(TimeStampedModel):
    """Someone who sits on a council for an institution. Contacts are never shown publicly."""

    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(
        _("position"),
        max_length=150,
        blank=True,
        help_text=_("For example: Head of the Police Commissariat."),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="people", verbose_name=_("institution")
    )
    gender = models.CharField(
        _("gender"),
        max_length=1,
        choices=PersonGender.choices,
        blank=True,
        help_text=_("Chooses “i pranishëm” or “e pranishme” beside the name; blank if not known."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="councils_person_unique_email"
            ),
        ]

    def __str__(self):
        return self.full_name


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    GUEST = "guest", _("invited guest")
    SKN_MUNICIPALITY = "skn_municipality", _("SKN, municipality seat")
    SKN_POLICE = "skn_police", _("SKN, police seat")
    SKN_PROSECUTION = "skn_prosecution", _("SKN, prosecution seat")
    SECRETARY = "secretary", _("technical secretary")
    CHAIR = "chair", _("chair")


# A role's label when a woman holds it; the SKN seats name a seat, not a person, and stay as they are.
ROLE_WOMAN = {
    Role.MEMBER: pgettext_lazy("role held by a woman", "member"),
    Role.GUEST: pgettext_lazy("role held by a woman", "invited guest"),
    Role.SECRETARY: pgettext_lazy("role held by a woman", "technical secretary"),
    Role.CHAIR: pgettext_lazy("role held by a woman", "chair"),
}


SKN_ROLES = (Role.SKN_MUNICIPALITY, Role.SKN_POLICE, Role.SKN_PROSECUTION)
# Roles with powers over the council's records: assigned and ended by the chair or a platform
# admin, never by the technical secretary alone (separation of duties).
OFFICER_ROLES = (*SKN_ROLES, Role.CHAIR, Role.SECRETARY)
# Roles that one person at a time holds in a council.
SINGLE_HOLDER_ROLES = (*SKN_ROLES, Role.CHAIR)


class Membership(TimeStampedModel, CouncilOwned):
    """A person's role in a council, from when to when, and who designated them.

    Ending a membership sets its end date; the row stays, so the council's history is complete.
    """

    council = council_link("memberships")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    # The institution the person represents in this council: one person may represent different
    # institutions in different councils, or move to another employer.
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("from"), default=today)
    end_date = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Access ends on this day. Leave empty while the role lasts."),
    )
    designated_by = models.CharField(
        _("designated by"),
        max_length=200,
        blank=True,
        help_text=_("For example: order of the Chief Prosecutor no. 15, 10.01.2025."),
    )

    history = HistoricalRecords()
    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["council", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "role"],
                condition=Q(end_date__isnull=True, role__in=SINGLE_HOLDER_ROLES),
                name="councils_membership_one_open_holder_per_seat",
            ),
            models.UniqueConstraint(
                fields=["council", "person", "role"],
                condition=Q(end_date__isnull=True),
                name="councils_membership_no_duplicate_open_role",
            ),
            ends_after_start("councils_membership_end_after_start"),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} ({self.council})"

    def get_role_display(self) -> str:  # type: ignore[no-redef]  # replaces Django's, for every template
        """The role's label agreeing with the person's recorded gender ("e ftuar" for a woman)."""
        role = Role(self.role)
        if self.person.gender == PersonGender.WOMAN and role in ROLE_WOMAN:
            return str(ROLE_WOMAN[role])
        return str(role.label)

    @property
    def is_skn(self) -> bool:
        return self.role in SKN_ROLES

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


# The council's registers (councils/registers/models.py) are models of this app.
from .registers.models import CooperationAgreement, ReferralCount  # noqa: E402, F401
