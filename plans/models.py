"""The multi-actor plan: one per council and year; within a year, versions.

A version holds problems (the rows of the guide's Table 1), each with ordered activities, and each
activity with measurable indicators. Problems, activities and indicators keep a ``lineage`` id
across versions, so two versions compare row by row and monitoring (issue 6) follows an activity
through revisions. An approved version never changes: the services refuse it, and database
triggers (migration 0002) refuse it too.
"""

import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models import Concern, Intensity, ProblemCategory
from consultations.models import Problem as ConsultationProblem
from councils.meetings.models import Decision, Meeting
from councils.models import AdministrativeUnit, Council, Institution
from councils.owned import CouncilOwned, CouncilOwnedQuerySet, at, council_link
from kvsp.core.fields import user_link, year_in_range
from kvsp.core.models import TimeStampedModel
from kvsp.core.uploads import validate_pdf

from .deadlines import Deadline
from .ordering import named
from .tags import Disaggregation, FundingSource


@dataclass(frozen=True)
class Responsible:
    """Who an activity names as responsible: an optional lead and the others (institutions, then
    actors), ``inherited`` when they are its row's."""

    lead: str
    others: list[str]
    inherited: bool

    @property
    def names(self) -> list[str]:
        return ([self.lead] if self.lead else []) + self.others

    def __str__(self) -> str:
        return ", ".join(self.names)

    def __bool__(self) -> bool:
        return bool(self.lead or self.others)


class ActorQuerySet(CouncilOwnedQuerySet):
    """A council's actors: for the council's people (``plans.view_drafts``); a published plan
    shows the names of those it names."""

    def readable(self, user) -> Q:
        return self.roles_q(user)


class Actor(TimeStampedModel, CouncilOwned):
    """A body an activity of the plan may name as responsible beside the council's member
    institutions: another public institution, an NGO, community representatives, a school, a
    business (the guide's Table 1 names "OJF" and "Përfaqësues të komunitetit"). A per-council list
    kept apart from the council's composition: an actor is never a member and never appears on the
    public composition page. ``key`` is the name without case or accents (plans/actors.py), so
    "ojf" and "OJF" are one actor."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("public institution")
        NGO = "ngo", _("non-profit organisation")
        COMMUNITY = "community", _("community representatives")
        EDUCATION = "education", _("school or education office")
        BUSINESS = "business", _("business")
        OTHER = "other", _("other")

    council = council_link("plan_actors")
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    history = HistoricalRecords()
    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsible actor")
        verbose_name_plural = _("responsible actors")
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="plans_actor_once"),
        ]

    def __str__(self):
        return self.name


class DeadlineFields(models.Model):
    """A deadline as data (plans/deadlines.py): on a plan row, optional (its activities inherit
    it); on an activity, optional when its row has one."""

    class Kind(models.TextChoices):
        DATE = "date", _("by a date")
        PERIOD = "period", _("within a period")
        RECURRENCE = "recurrence", _("recurring")
        ALL_YEAR = "all_year", _("all year")

    class Period(models.TextChoices):
        H1 = "h1", _("first six months")
        H2 = "h2", _("second six months")
        Q1 = "q1", _("first quarter")
        Q2 = "q2", _("second quarter")
        Q3 = "q3", _("third quarter")
        Q4 = "q4", _("fourth quarter")

    deadline_kind = models.CharField(_("deadline"), max_length=20, choices=Kind.choices, blank=True)
    deadline_date = models.DateField(_("date"), null=True, blank=True)
    deadline_period = models.CharField(_("period"), max_length=4, choices=Period.choices, blank=True)
    deadline_every_months = models.PositiveSmallIntegerField(_("every (months)"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def own_deadline(self) -> Deadline | None:
        """The deadline given here (None: none given)."""
        if not self.deadline_kind:
            return None
        return Deadline(
            kind=self.deadline_kind,
            day=self.deadline_date,
            period=self.deadline_period,
            every_months=self.deadline_every_months,
        )


def deadline_complete(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(deadline_kind="")
        | (Q(deadline_kind="date") & Q(deadline_date__isnull=False))
        | (Q(deadline_kind="period") & ~Q(deadline_period=""))
        | (Q(deadline_kind="recurrence") & Q(deadline_every_months__gte=1, deadline_every_months__lte=12))
        | Q(deadline_kind="all_year"),
        name=name,
    )


class Plan(TimeStampedModel, CouncilOwned):
    council = council_link("plans")
    year = models.PositiveSmallIntegerField(_("year"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="plans_one_plan_per_year"),
            year_in_range("plans_year_range"),
        ]

    def __str__(self):
        return f"{self.council} {self.year}"


class PlanPartQuerySet(CouncilOwnedQuerySet):
    """A plan version and its rows: published (approved) versions for whoever reads the council's
    plans (``plans.view_plans``), drafts and submitted versions for the council's people only
    (``plans.view_drafts``: not the national observer)."""

    council_path = "plan__council"
    version_path = ""

    def readable(self, user) -> Q:
        published = Q(**{at(self.version_path, "status"): PlanVersion.Status.APPROVED})
        return self.roles_q(user) | (published & self.roles_q(user, observer=True))


class VersionQuerySet(PlanPartQuerySet):
    def published(self):
        return self.filter(status=PlanVersion.Status.APPROVED)


class RowQuerySet(PlanPartQuerySet):
    """A version's files and problems."""

    council_path = "version__plan__council"
    version_path = "version"


class ActivityQuerySet(PlanPartQuerySet):
    council_path = "problem__version__plan__council"
    version_path = "problem__version"


class IndicatorQuerySet(PlanPartQuerySet):
    council_path = "activity__problem__version__plan__council"
    version_path = "activity__problem__version"


class PublicationQuerySet(CouncilOwnedQuerySet):
    council_path = "plan__council"


class PlanVersion(TimeStampedModel, CouncilOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved and published")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED)

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revises")
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the guide's title, with the municipality's name."),
    )
    note = models.TextField(
        _("what changed"), max_length=2000, blank=True, help_text=_("Shown with the version history.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_link()
    returned_comment = models.TextField(_("chair's comments"), max_length=2000, blank=True)
    approved_at = models.DateTimeField(_("approved and published at"), null=True, blank=True)
    approved_by = user_link()
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved at the council meeting"),
    )
    # The recorded decision of a held council meeting that approved the version: one decision
    # approves one version (unique in the database). The meeting, the number ("3/2026") and the
    # date below are derived from it; versions approved before decisions were recorded keep only
    # the number and date typed at the time.
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_version",
        verbose_name=_("council decision"),
    )
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signed_scan = models.FileField(
        _("signed and stamped decision (PDF)"),
        upload_to="plans/decisions/",
        blank=True,
        validators=[validate_pdf],
    )

    history = HistoricalRecords()
    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_number_unique"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status__in=["draft", "submitted"]), name="plans_one_open_version"
            ),
            # Approved: by a recorded decision, or (versions approved before) a typed number.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    Q(approved_at__isnull=False)
                    & Q(decision_date__isnull=False)
                    & (Q(decision__isnull=False) | ~Q(decision_number=""))
                ),
                name="plans_approved_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    @property
    def council(self) -> Council:
        return self.plan.council

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def display_title(self) -> str:
        """The title the secretary gave, else the guide's (Table 1): "Plani i përbashkët
        ndërinstitucional për parandalimin e krimit në Bashkinë Elbasan"."""
        return self.title or default_title(self.plan.council)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def decision_label(self) -> str:
        """ "Decision no. 3/2026" (the recorded decision) or the number typed before decisions were
        recorded; empty while not approved."""
        if self.decision_id:
            return self.decision.label
        if self.decision_number:
            return _("Decision no. %(number)s") % {"number": self.decision_number}
        return ""


class PlanFile(TimeStampedModel, CouncilOwned):
    """A file generated from an approved version (its PDF), stored once and served as a file. Kept
    apart from the version, which never changes."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to="plans/files/")
    sha256 = models.CharField(max_length=64)

    history = HistoricalRecords()
    objects = RowQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan file")
        verbose_name_plural = _("plan files")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "language"], name="plans_file_once"),
        ]

    def __str__(self):
        return f"{self.version} {self.kind} ({self.language})"


def default_title(council: Council) -> str:
    return _("Joint inter-institutional plan for crime prevention in the Municipality of %(name)s") % {
        "name": council.municipality.name
    }


class PlanProblem(TimeStampedModel, CouncilOwned, DeadlineFields):
    """Problematika e identifikuar: one row of the plan. As in the guide's Table 1, the row may
    name its responsible institutions and actors and its deadline once, for all its activities
    (an activity may name its own instead)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="problems")
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    number = models.CharField(_("number"), max_length=10, help_text=_("As in the plan, for example 1.4."))
    title = models.CharField(_("identified problem"), max_length=300)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    statistics = models.TextField(_("statistics"), max_length=2000, blank=True)
    statistics_source = models.CharField(_("source of the statistics"), max_length=200, blank=True)
    provenance = models.CharField(
        _("provenance note"),
        max_length=300,
        blank=True,
        help_text=_("For example: updated at the council meeting of 03.02.2022."),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Intensity.choices)
    category = models.ForeignKey(
        ProblemCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_rows",
        verbose_name=_("category"),
    )
    source_problem = models.ForeignKey(
        ConsultationProblem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_rows",
        verbose_name=_("from the prioritisation"),
    )
    concerns = models.ManyToManyField(
        Concern, blank=True, related_name="plan_rows", verbose_name=_("concerns")
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="+", verbose_name=_("responsible institutions")
    )
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="plan_rows", verbose_name=_("other responsible actors")
    )
    groups = models.JSONField(_("groups served"), default=list, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_rows",
        verbose_name=_("administrative unit"),
        help_text=_("Where the problem is. Leave empty when it concerns the whole municipality."),
    )

    history = HistoricalRecords(m2m_fields=[concerns, institutions, actors])
    objects = RowQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan problem")
        verbose_name_plural = _("plan problems")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="plans_problem_lineage_once"),
            models.UniqueConstraint(fields=["version", "number"], name="plans_problem_number_once"),
            deadline_complete("plans_problem_deadline_complete"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def responsible(self) -> "Responsible":
        """The row's institutions and actors, as its activities that name none inherit them."""
        return Responsible(
            lead="",
            others=[i.name for i in named(self, "institutions")] + [a.name for a in named(self, "actors")],
            inherited=True,
        )


class Activity(TimeStampedModel, CouncilOwned, DeadlineFields):
    """An activity of a row. Who is responsible and by when: its own lead (optional), partners,
    actors and deadline, or, where it names none, its row's (``responsible`` and ``deadline``)."""

    DeadlineKind = DeadlineFields.Kind
    Period = DeadlineFields.Period

    problem = models.ForeignKey(PlanProblem, on_delete=models.CASCADE, related_name="activities")
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("activity"), max_length=2000)
    lead = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead institution"),
    )
    partners = models.ManyToManyField(Institution, blank=True, related_name="+", verbose_name=_("partners"))
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="activities", verbose_name=_("other responsible actors")
    )
    groups = models.JSONField(_("groups served"), default=list, blank=True)
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost (lek)"), null=True, blank=True)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    funder = models.CharField(
        _("funder"),
        max_length=200,
        blank=True,
        help_text=_("For example the donor or the institution that pays."),
    )

    history = HistoricalRecords(m2m_fields=[partners, actors])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["problem", "position"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "lineage"], name="plans_activity_lineage_once"),
            deadline_complete("plans_activity_deadline_complete"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def deadline(self) -> Deadline:
        """Its own deadline, else its row's (what monitoring's overdue rules check)."""
        return self.own_deadline or self.problem.own_deadline or Deadline(kind="")

    @property
    def deadline_inherited(self) -> bool:
        return self.own_deadline is None and self.problem.own_deadline is not None

    @property
    def names_own_responsible(self) -> bool:
        """Whether the activity names anyone itself (then its row's responsible are not its own)."""
        return bool(self.lead_id or self.partners.all() or self.actors.all())

    @property
    def responsible_institution_ids(self) -> set[int]:
        """The council's member institutions responsible for it (who may update it, who is
        reminded): its own lead and partners, or, naming no one itself, its row's institutions
        (actors are not members). Reads ``partners``, ``actors`` and ``problem.institutions``:
        prefetch them for a list."""
        if self.names_own_responsible:
            return {pk for pk in (self.lead_id, *(partner.pk for partner in self.partners.all())) if pk}
        return {institution.pk for institution in self.problem.institutions.all()}

    @property
    def responsible(self) -> Responsible:
        """Who is responsible: the activity's own lead, partners and actors, or (naming none) its
        row's institutions and actors, with no lead (none is ever invented)."""
        if self.names_own_responsible:
            return Responsible(
                lead=self.lead.name if self.lead else "",
                others=[p.name for p in named(self, "partners")] + [a.name for a in named(self, "actors")],
                inherited=False,
            )
        return self.problem.responsible


class Indicator(TimeStampedModel, CouncilOwned):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        SEMIANNUAL = "semiannual", _("every six months")
        ANNUAL = "annual", _("yearly")
        ONCE = "once", _("once")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(
        _("unit"), max_length=50, blank=True, help_text=_("For example: sessions, cases, %.")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(
        _("measured"), max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    disaggregation = models.CharField(
        _("values split"), max_length=10, choices=Disaggregation.choices, blank=True
    )

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["activity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "lineage"], name="plans_indicator_lineage_once"),
        ]

    def __str__(self):
        return self.name


class Publication(TimeStampedModel, CouncilOwned):
    """Where a member institution published the plan on its own website (regulation art. 8.7)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="publications", verbose_name=_("plan")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    url = models.URLField(_("address of the page"), max_length=500)
    published_on = models.DateField(_("published on"))

    history = HistoricalRecords()
    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication by an institution")
        verbose_name_plural = _("publications by institutions")
        ordering = ["plan", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "institution"], name="plans_publication_once"),
        ]

    def __str__(self):
        return f"{self.institution}: {self.url}"


# Public comment on a submitted version (issue 23 item 2): plans/comment_models.py.
from .comment_models import CommentPeriod, PlanComment, PlanCommentContact  # noqa: E402, F401
