"""Open consultations with citizens, what they raised, and how the SKN turned it into priorities.

A citizen's contact details live in their own table (``ConcernContact``), never in the audit trail,
and are deleted after the retention period or on the citizen's request. The original wording of a
concern stays with the moderators and is purged with the contact; the public sees only the
published (possibly redacted) text.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.meetings.models import Meeting
from councils.models import SKN_ROLES, AdministrativeUnit, Institution, Person, Role
from councils.owned import CouncilOwned, CouncilOwnedQuerySet, council_link
from kvsp.core.fields import cancel_needs_reason, user_link
from kvsp.core.models import TimeStampedModel

from .taxonomy import ProblemCategory

# Longest concern text accepted (characters). A page of writing; anything longer is refused with
# a message, never cut silently.
CONCERN_MAX_CHARS = 5000


def concern_photo_path(instance, filename: str) -> str:
    """Where a concern's photo is stored: a random name, never the citizen's file name (which may
    name them or their street). The stored file is always the clean re-encode (consultations/
    photos.py), a JPEG, in the private storage (served only through permission-checked views)."""
    return f"consultations/photos/{timezone.now():%Y}/{secrets.token_hex(16)}.jpg"


class Intensity(models.TextChoices):
    """Risk intensity, as the regulation names it (art. 8)."""

    HIGH = "high", _("high priority")
    MODERATE = "moderate", _("moderate priority")
    LOW = "low", _("low priority")


class ConsultationQuerySet(CouncilOwnedQuerySet):
    def public(self):
        """Announced ahead of time, or held: what anyone may see. A cancelled consultation stays
        public only if it had been announced (citizens need to know it is off)."""
        return self.filter(
            Q(status__in=(Consultation.Status.ANNOUNCED, Consultation.Status.HELD))
            | Q(status=Consultation.Status.CANCELLED, announced_at__isnull=False)
        )


class Consultation(TimeStampedModel, CouncilOwned):
    """Takim i hapur konsultues: twice a year, co-led by the mayor, the police and the prosecutor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        ANNOUNCED = "announced", _("announced")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class AgendaStatus(models.TextChoices):
        """The SKN agrees the agenda of an open consultation before it is announced (the guide)."""

        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed by the SKN")

    # The "triangle" of heads who co-lead the consultation (the guide): the field holding each name.
    HEADS = ("mayor_name", "police_chief_name", "prosecutor_name")

    council = council_link("consultations")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(
        _("place"), max_length=200, help_text=_("For example: the community hall of Shushica village.")
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administrative unit"),
    )
    co_leads = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="+",
        verbose_name=_("co-leading institutions"),
        help_text=_("The regulation asks the mayor, the police chief and the prosecutor to lead together."),
    )
    mayor_name = models.CharField(
        _("the mayor"),
        max_length=150,
        blank=True,
        help_text=_("Name of the mayor (or the deputy who stands in) co-leading the consultation."),
    )
    police_chief_name = models.CharField(
        _("the police chief"),
        max_length=150,
        blank=True,
        help_text=_("Name of the head of the local police co-leading the consultation."),
    )
    prosecutor_name = models.CharField(
        _("the chief prosecutor"),
        max_length=150,
        blank=True,
        help_text=_("Name of the head of the district prosecution office co-leading the consultation."),
    )
    co_lead_names = models.CharField(
        _("also leading"),
        max_length=300,
        blank=True,
        help_text=_("Anyone else who leads with them, with their position: for example the county prefect."),
    )
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True, help_text=_("One item per line."))
    agenda_status = models.CharField(
        _("agenda"), max_length=20, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    # The secretary sends the draft agenda to the SKN for agreement (a notice to the SKN).
    agenda_submitted_by = user_link(_("agenda sent for agreement by"))
    agenda_submitted_at = models.DateTimeField(_("agenda sent for agreement at"), null=True, blank=True)
    agenda_agreed_by = user_link(_("agenda agreed by"))
    agenda_agreed_at = models.DateTimeField(_("agenda agreed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    follow_up_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("council meeting that follows"),
        help_text=_("The council meeting that approves the changes to the plan."),
    )
    summary = models.TextField(
        _("summary of the discussion"), max_length=6000, blank=True, help_text=_("Shown publicly.")
    )
    skn_present = models.ManyToManyField(
        Person,
        blank=True,
        related_name="+",
        verbose_name=_("SKN members present"),
        help_text=_("The guide asks the SKN to take part in the open consultations."),
    )

    history = HistoricalRecords(m2m_fields=[co_leads, skn_present])
    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("open consultation")
        verbose_name_plural = _("open consultations")
        ordering = ["-starts_at"]
        constraints = [
            cancel_needs_reason("consultations_cancel_needs_reason"),
            models.CheckConstraint(
                condition=~Q(agenda_status="agreed") | Q(agenda_agreed_at__isnull=False),
                name="consultations_agreed_agenda_dated",
            ),
            # Nothing is announced before the SKN agreed its agenda (the guide's order).
            models.CheckConstraint(
                condition=Q(announced_at__isnull=True) | Q(agenda_status="agreed"),
                name="consultations_announced_after_agreement",
            ),
        ]

    def __str__(self):
        when = f"{timezone.localtime(self.starts_at):%d.%m.%Y}"
        return f"{self.title} — {when}" if self.title else when

    @property
    def is_public(self) -> bool:
        if self.status == self.Status.CANCELLED:
            return self.announced_at is not None
        return self.status in (self.Status.ANNOUNCED, self.Status.HELD)

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def has_started(self) -> bool:
        """Whether its start time has come: before it, nobody can be recorded as having come."""
        return self.starts_at <= timezone.now()

    @property
    def agenda_agreed(self) -> bool:
        return self.agenda_status == self.AgendaStatus.AGREED

    @property
    def heads(self) -> list[tuple[str, str]]:
        """The three co-leading heads: (their title, the name recorded or "")."""
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in self.HEADS]

    @property
    def missing_heads(self) -> list[str]:
        """The titles of the heads not recorded as co-leading (the mayor, the police chief...)."""
        return [title for title, name in self.heads if not name.strip()]


class ParticipantGroup(models.TextChoices):
    VILLAGE_HEADS = "village_heads", _("village heads")
    COMMUNITY_LIAISONS = "community_liaisons", _("community liaisons")
    SCHOOLS_PARENTS = "schools_parents", _("schools and parents")
    STUDENT_GOVERNMENTS = "student_governments", _("student governments")
    BUSINESSES = "businesses", _("businesses")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    RELIGIOUS = "religious", _("religious communities")
    MEDIA = "media", _("media")
    YOUTH = "youth", _("youth")
    LOCAL_INSTITUTIONS = "local_institutions", _("local institutions")
    MINORITIES = "minorities", _("minorities")
    OTHER_CITIZENS = "other_citizens", _("other citizens")


class ParticipationQuerySet(CouncilOwnedQuerySet):
    council_path = "consultation__council"


class Participation(TimeStampedModel, CouncilOwned):
    """How many took part from one group, by gender: so inclusion can be reported."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participation", verbose_name=_("consultation")
    )
    group = models.CharField(_("group"), max_length=30, choices=ParticipantGroup.choices)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unspecified = models.PositiveIntegerField(_("not stated"), default=0)

    history = HistoricalRecords()
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "group"], name="consultations_participation_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_group_display()}: {self.total}"

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


class ProblemQuerySet(CouncilOwnedQuerySet):
    def selected_for_plan(self, council):
        """The problems the SKN chose for the plan: what the plan draft pulls in (issue 5)."""
        return self.filter(council=council, outcome=Problem.Outcome.IN_PLAN).order_by(
            "-consultation__starts_at", "pk"
        )


class Problem(TimeStampedModel, CouncilOwned):
    """Problematika e identifikuar: concerns grouped by the SKN and assessed as a risk."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        IN_PLAN = "in_plan", _("in the plan")
        REFERRED = "referred", _("referred elsewhere")
        NOT_TAKEN = "not_taken", _("not taken")

    council = council_link("problems")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="problems", verbose_name=_("consultation")
    )
    title = models.CharField(_("problem"), max_length=300)
    category = models.ForeignKey(
        ProblemCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    intensity = models.CharField(
        _("risk intensity"), max_length=10, choices=Intensity.choices, blank=True, default=""
    )
    reasons = models.TextField(
        _("reasons for this assessment"), max_length=4000, blank=True, help_text=_("Why this intensity.")
    )
    statistics = models.TextField(
        _("statistics"),
        max_length=2000,
        blank=True,
        help_text=_("For example: 56 cases of domestic violence in 2021."),
    )
    statistics_source = models.CharField(
        _("source of the statistics"),
        max_length=200,
        blank=True,
        help_text=_("For example: Local Police Directorate of Elbasan."),
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="+", verbose_name=_("proposed responsible institutions")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.CharField(
        _("outcome note"),
        max_length=500,
        blank=True,
        help_text=_("Where it was referred, or why it was not taken. Shown publicly."),
    )

    history = HistoricalRecords(m2m_fields=[institutions])
    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("identified problem")
        verbose_name_plural = _("identified problems")
        ordering = ["consultation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["pending", "in_plan"]) | ~Q(outcome_note=""),
                name="consultations_problem_outcome_explained",
            ),
        ]

    def __str__(self):
        return self.title


def moderators_q(queryset: CouncilOwnedQuerySet, user) -> Q:
    """The rule ``consultations.moderate``: the council's technical secretary and SKN (a rule: not
    the platform admin)."""
    return queryset.roles_q(user, (Role.SECRETARY, *SKN_ROLES), admin=False)


class ConcernQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """Published concerns with the consultation (``consultations.view_consultation``); every
        concern, as the citizen wrote it, for the moderators (``consultations.moderate``)."""
        published = Q(status=Concern.Status.PUBLISHED) & self.roles_q(user, observer=True)
        return published | moderators_q(self, user)


class Concern(TimeStampedModel, CouncilOwned):
    """What a citizen raised: online, orally at the meeting, or on the paper form.

    ``text`` is what the citizen wrote: moderators only, not in the audit trail, purged with the
    contact. ``public_text`` is what the public reads once a moderator publishes it (redacted if
    need be)."""

    class Category(models.TextChoices):
        DRUGS_ALCOHOL_YOUTH = "drugs_alcohol_youth", _("drugs and alcohol among young people")
        DOMESTIC_VIOLENCE = "domestic_violence", _("domestic violence")
        HOTSPOTS = "hotspots", _("hotspots of drugs or crime")
        TRAFFIC = "traffic", _("traffic safety")
        PROPERTY_CRIME = "property_crime", _("theft and property crime")
        SCHOOL_SAFETY = "school_safety", _("safety at and around schools")
        VIOLENT_EXTREMISM = "violent_extremism", _("violent extremism")
        CULTURE_OF_SILENCE = "culture_of_silence", _("culture of silence (fear of reporting)")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        ONLINE = "online", _("online form")
        ORAL = "oral", _("raised at the meeting")
        PAPER = "paper", _("paper form")

    class ClosedBy(models.TextChoices):
        """Who set a concern aside: a moderator (with their reason), the citizen, or the clock."""

        MODERATOR = "moderator", _("a moderator")
        CITIZEN = "citizen", _("withdrawn at the citizen's request")
        RETENTION = "retention", _("not moderated within the retention period")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("not published")
        MERGED = "merged", _("merged with a similar concern")

    council = council_link("concerns")
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("consultation"),
    )
    code = models.CharField(_("reference code"), max_length=9, unique=True, editable=False)
    source = models.CharField(_("how it was raised"), max_length=10, choices=Source.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    text = models.TextField(_("what the citizen wrote"), max_length=CONCERN_MAX_CHARS, blank=True)
    public_text = models.TextField(_("published text"), max_length=CONCERN_MAX_CHARS, blank=True)
    redacted = models.BooleanField(_("redacted before publishing"), default=False)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administrative unit"),
    )
    neighbourhood = models.CharField(_("neighbourhood or village"), max_length=150, blank=True)
    public_neighbourhood = models.CharField(
        _("published neighbourhood or village"), max_length=150, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    closed_by = models.CharField(
        _("set aside by"), max_length=20, choices=ClosedBy.choices, blank=True, default=""
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    problem = models.ForeignKey(
        Problem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("problem"),
    )
    entered_by = user_link(_("entered by"))
    moderated_by = user_link(_("moderated by"))
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)
    # Citizens who said "this is my problem too" on the published concern instead of raising a
    # second one (services.concern_support: once per browser session, under the address limit).
    support_count = models.PositiveIntegerField(
        _("citizens with the same problem"), default=0, editable=False
    )
    # The citizen's optional photo, stripped of EXIF (location) and other metadata on upload
    # (consultations/photos.py). The public sees it only once a moderator publishes the concern
    # with it (``photo_public``); it is deleted with the citizen's personal data.
    photo = models.FileField(_("photo"), upload_to=concern_photo_path, blank=True, editable=False)
    photo_public = models.BooleanField(_("photo published"), default=False)
    photo_alt = models.CharField(_("description of the photo"), max_length=200, blank=True)

    # The citizen's own words may hold personal data, and a redaction may be corrected: the trail
    # records what happened to the concern (status, moderator, problem), not what it said, so that
    # deleting the words deletes every copy.
    history = HistoricalRecords(
        excluded_fields=[
            "text",
            "public_text",
            "neighbourhood",
            "public_neighbourhood",
            "support_count",
            "photo",
            "photo_alt",
        ]
    )
    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen's concern")
        verbose_name_plural = _("citizens' concerns")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="consultations_merged_has_target",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def followed(self) -> "Concern":
        """The concern whose fate this one shares: itself, or the one it was merged into."""
        concern = self
        for _step in range(10):  # merges are flattened (services.concern_merge); never loop forever
            if concern.status != self.Status.MERGED or concern.merged_into_id is None:
                break
            concern = concern.merged_into
        return concern

    @property
    def outcome(self) -> str:
        """The concern's outcome is its problem's (a merged concern follows the one it joined)."""
        followed = self.followed
        if followed.problem_id is None:
            return Problem.Outcome.PENDING
        return followed.problem.outcome

    @property
    def reason_display(self) -> str:
        """Why it was set aside, in the reader's language when the system did it."""
        if self.closed_by in (self.ClosedBy.CITIZEN, self.ClosedBy.RETENTION):
            return self.get_closed_by_display()
        return self.status_reason

    def get_outcome_display(self) -> str:
        return Problem.Outcome(self.outcome).label


class ContactQuerySet(CouncilOwnedQuerySet):
    council_path = "concern__council"

    def readable(self, user) -> Q:
        """The moderators of the concern's council only."""
        return moderators_q(self, user)


class ConcernContact(CouncilOwned):
    """How to reach the citizen, if they chose to say. Kept apart from the concern: visible only
    to the council's moderators; not in the audit trail, exports, the API or logs; deleted after
    the retention period or on request."""

    concern = models.OneToOneField(
        Concern, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sq")

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen's contact")
        verbose_name_plural = _("citizens' contacts")

    def __str__(self):
        # Never the details themselves: this string may reach a log or an error report.
        return f"contact of {self.concern_id}"

    def __repr__(self):
        return f"<ConcernContact of {self.concern_id}>"
