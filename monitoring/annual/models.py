"""The annual report of a council: one per council and year.

The SKN (or the technical secretary) drafts it at any time of the year: its tables are read live
from the year's recorded facts (monitoring/annual/data.py) and the SKN writes the narrative. It is
submitted to the chair once the year has ended; the chair returns it with comments or approves it.
Approval freezes it: the content is copied into ``content``, its PDF stored with a SHA-256, and it is
public from then on. A database trigger (migration 0011) refuses any change to an approved report
and its deletion, whatever code runs (the services refuse first).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.owned import CouncilOwned, CouncilOwnedQuerySet, council_link
from kvsp.core.fields import user_link, year_in_range
from kvsp.core.models import TimeStampedModel


class AnnualReportQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """Approved reports for whoever reads the council's monitoring (the national observer
        too); drafts, submitted and returned reports for the council's people only."""
        approved = Q(status=AnnualReport.Status.APPROVED)
        return self.roles_q(user) | (approved & self.roles_q(user, observer=True))

    def public(self):
        return self.filter(status=AnnualReport.Status.APPROVED)


class AnnualReport(TimeStampedModel, CouncilOwned):
    """Raporti vjetor i KVSP-së."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the chair")
        RETURNED = "returned", _("returned by the chair")
        APPROVED = "approved", _("approved and published")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    # The SKN's own words, in the order the report shows them.
    NARRATIVE = ("summary", "achievements", "difficulties", "priorities")
    TEXT_LENGTH = 8000

    council = council_link("annual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("summary"), max_length=TEXT_LENGTH, blank=True)
    achievements = models.TextField(_("achievements"), max_length=TEXT_LENGTH, blank=True)
    difficulties = models.TextField(_("difficulties"), max_length=TEXT_LENGTH, blank=True)
    priorities = models.TextField(_("priorities for next year"), max_length=TEXT_LENGTH, blank=True)
    drafted_by = user_link(_("drafted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_link()
    returned_comment = models.TextField(_("chair's comments"), max_length=2000, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = user_link()
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = user_link()
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("report (PDF)"), upload_to="monitoring/annual/", blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["content"])
    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="monitoring_annual_once"),
            year_in_range("monitoring_annual_year_range"),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(content__isnull=False) & ~Q(sha256="") & Q(approved_at__isnull=False)),
                name="monitoring_annual_frozen_complete",
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.year}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES
