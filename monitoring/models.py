"""Monitoring: what was done on the plan, month by month.

A status update and an indicator value attach to an activity's (or indicator's) *lineage*, not only
to the row of one version, so the history survives a plan revision: the row they were made on is
kept as well, for the record. Status updates are never edited or deleted — a correction is a new
update. A monthly report is a draft that the SKN writes over the month's data; the chair's approval
freezes it: its content is copied into ``content`` and its PDF stored with a SHA-256 (and database
triggers, migration 0002, refuse any later change to either).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models import Role
from councils.owned import CouncilOwned, CouncilOwnedQuerySet, council_link
from kvsp.core.fields import user_link, year_in_range
from kvsp.core.models import TimeStampedModel
from kvsp.core.uploads import validate_pdf
from kvsp.notify import kinds
from plans.models import Activity, Indicator, PlanVersion


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")
    CANCELLED = "cancelled", _("cancelled")


class StatusUpdate(TimeStampedModel, CouncilOwned):
    """One report of where an activity stands. Append-only: never edited, never deleted."""

    council = council_link("+")
    activity_lineage = models.UUIDField(_("activity lineage"), db_index=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="status_updates", verbose_name=_("activity")
    )
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    date = models.DateField(_("as of"))
    spent = models.PositiveBigIntegerField(_("spent to date (lek)"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="monitoring/evidence/%Y/", blank=True)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)
    author = user_link(_("by"), optional=False)

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["activity_lineage", "date", "id"]
        indexes = [models.Index(fields=["council", "date"], name="monitoring_update_council_date")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="monitoring_update_progress_range"),
        ]

    def __str__(self):
        return f"{self.activity} — {self.get_status_display()} {self.progress}%"


class IndicatorValue(TimeStampedModel, CouncilOwned):
    """The measured value of an indicator for one period ("2026-03", "2026-Q1", "2026-H1", "2026").
    One per indicator lineage and period; a correction replaces it and the history keeps both."""

    council = council_link("+")
    indicator_lineage = models.UUIDField(_("indicator lineage"), db_index=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=10)
    period_end = models.DateField(_("end of the period"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    # The value per split when the indicator is split by sex and/or age band: {"f": "12", "m": "9"}
    # or {"f|18-29": "4", ...}; the keys are plans.tags' (see the indicator's disaggregation).
    breakdown = models.JSONField(_("values per split"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    author = user_link(_("by"), optional=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_lineage", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_lineage", "period"], name="monitoring_value_once"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period})"


class ReportSection(models.TextChoices):
    """The parts a monthly report can hold: the SKN's own words and the automatic tables. The labels
    are the standard template's headings."""

    OVERVIEW = "overview", _("Overview")
    SUMMARY = "summary", _("Summary")
    DONE = "done", _("Completed this month")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    OVERDUE = "overdue", _("Overdue")
    NOT_UPDATED = "not_updated", _("Not updated this month")
    INDICATORS = "indicators", _("Indicator values")
    SPENDING = "spending", _("Spending")
    DIFFICULTIES = "difficulties", _("Difficulties")
    PROPOSALS = "proposals", _("Proposals")


class ReportTemplateQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """The council's people (``monitoring.view_internal``): a template is the council's own
        working document, not the national observer's."""
        return self.roles_q(user)

    def approved(self):
        return self.filter(status=ReportTemplate.Status.APPROVED)


class ReportTemplate(TimeStampedModel, CouncilOwned):
    """One version of the council's own monthly report template (guide, section 3.4): the sections
    of a report, in their order, with their headings. The SKN drafts it, the chair approves it; an
    approved version never changes (a change is a new version), and until one is approved the
    standard template applies. ``sections`` is a list of ``{"kind": ReportSection, "heading": str}``
    (an empty heading reads as the standard one, in the reader's language)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the chair")
        RETURNED = "returned", _("returned by the chair")
        APPROVED = "approved", _("approved")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    HEADING_LENGTH = 200

    council = council_link("report_templates")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    sections = models.JSONField(_("sections"), default=list)
    drafted_by = user_link(_("drafted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_link()
    returned_comment = models.TextField(_("chair's comments"), max_length=2000, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = user_link()
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = user_link()

    history = HistoricalRecords()
    objects = ReportTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report template")
        verbose_name_plural = _("monthly report templates")
        ordering = ["council", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="monitoring_template_number_once"),
            # One version in the making at a time; approved versions are the record.
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="monitoring_template_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="monitoring_template_approved_complete",
            ),
        ]

    def __str__(self):
        return f"{self.council} v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class ReportQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """Approved and published reports for whoever reads the council's monitoring
        (``monitoring.view_monitoring``); drafts, submitted and returned reports for the council's
        people only (``monitoring.view_internal``: not the national observer)."""
        frozen = Q(status__in=MonthlyReport.FROZEN_STATUSES)
        return self.roles_q(user) | (frozen & self.roles_q(user, observer=True))

    def public(self):
        return self.filter(status=MonthlyReport.Status.PUBLISHED)


class MonthlyReport(TimeStampedModel, CouncilOwned):
    """Raporti mujor i monitorimit, on the council's template version of the day it was opened
    (the standard template until the chair approves one)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the chair")
        RETURNED = "returned", _("returned by the chair")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("approved and published")

    FROZEN_STATUSES = (Status.APPROVED, Status.PUBLISHED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    council = council_link("monthly_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("summary"), max_length=6000, blank=True)
    difficulties = models.TextField(_("difficulties"), max_length=6000, blank=True)
    proposals = models.TextField(_("proposals"), max_length=6000, blank=True)
    returned_comment = models.TextField(_("chair's comments"), max_length=2000, blank=True)
    # The chair's last return (the report waits for the SKN since then).
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = user_link()
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_link()
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = user_link()
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Frozen at approval: the plan version monitored, the month's data and the narrative.
    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)
    # The council's template version in force when the report was opened (none: the standard one).
    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("report template"),
        editable=False,
    )
    pdf = models.FileField(_("report (PDF)"), upload_to="monitoring/reports/", blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, editable=False)
    signed_scan = models.FileField(
        _("signed and stamped report (PDF)"),
        upload_to="monitoring/reports/signed/",
        blank=True,
        validators=[validate_pdf],
    )

    history = HistoricalRecords(excluded_fields=["content"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly monitoring report")
        verbose_name_plural = _("monthly monitoring reports")
        ordering = ["council", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "month"], name="monitoring_report_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monitoring_report_month"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"])
                | (Q(content__isnull=False) & ~Q(sha256="") & Q(approved_at__isnull=False)),
                name="monitoring_report_frozen_complete",
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.month:02d}.{self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ComplianceComment(TimeStampedModel, CouncilOwned):
    """The council's short public comment on its compliance record for a year (for example why
    a consultation was moved). It explains; it changes no check."""

    MAX_LENGTH = 500

    council = council_link("compliance_comments")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("public comment"), max_length=MAX_LENGTH)
    author = user_link(_("written by"), optional=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance comment")
        verbose_name_plural = _("compliance comments")
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="monitoring_one_comment_per_year"),
            year_in_range("monitoring_comment_year_range"),
        ]

    def __str__(self):
        return f"{self.council} {self.year}"


class ReminderSettingQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """``monitoring.manage_reminders``: the chair, the technical secretary, the platform admin."""
        return self.roles_q(user, (Role.CHAIR, Role.SECRETARY))


class ReminderSetting(TimeStampedModel, CouncilOwned):
    """A council's choice for one kind of reminder (monitoring/reminders.py); without a row, the
    reminder is on."""

    council = council_link("reminder_settings")
    kind = models.CharField(_("reminder"), max_length=30, choices=kinds.reminder_choices)
    enabled = models.BooleanField(_("on"), default=True)

    history = HistoricalRecords()
    objects = ReminderSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        ordering = ["council", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["council", "kind"], name="monitoring_reminder_setting_once")
        ]

    def __str__(self):
        return f"{self.council} {self.kind}: {'on' if self.enabled else 'off'}"


# The annual report lives in its own module (monitoring/annual/models.py); imported here so that the
# app's models are found where Django looks for them.
from .annual.models import AnnualReport, AnnualReportQuerySet  # noqa: E402, F401
