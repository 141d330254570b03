"""Public comment on a submitted plan (issue 23 item 2): a period the SKN opens on a submitted
version, the frozen snapshot of the rows as they were commented, the citizens' comments (on the
whole plan or on one row) and the private e-mail a citizen may leave.

The snapshot is written once, when the period opens, and never changes (the services never write
it again; migration 0008's triggers refuse it in the database too): the comparison with the
approved version ("what changed after public comment") survives every later edit. Comments are
not part of the version: moderating and answering them never touches an approved version.

A comment's ``text`` is what the citizen wrote (moderators only, never in the audit trail);
``public_text`` is what the public reads once a moderator publishes it, redacted if need be — the
same protections as a concern (consultations/models.py).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models import CONCERN_MAX_CHARS
from councils.models import SKN_ROLES, Role
from councils.owned import CouncilOwned, CouncilOwnedQuerySet, council_link
from kvsp.core.fields import user_link
from kvsp.core.models import TimeStampedModel

COMMENT_MAX_CHARS = CONCERN_MAX_CHARS
# The length of a period the SKN may set, in days.
PERIOD_MIN_DAYS = 7
PERIOD_MAX_DAYS = 60


class PeriodQuerySet(CouncilOwnedQuerySet):
    """Comment periods: public once opened (their drafts are shown publicly at their address)."""

    council_path = "version__plan__council"


class CommentPeriod(TimeStampedModel, CouncilOwned):
    """A submitted version opened for public comment, from ``opens_at`` to the end of
    ``closes_on`` (the last day, inclusive, in the site's time zone)."""

    version = models.OneToOneField(
        "plans.PlanVersion",
        on_delete=models.PROTECT,
        related_name="comment_period",
        verbose_name=_("version"),
    )
    opens_at = models.DateTimeField(_("open for comment from"))
    closes_on = models.DateField(_("last day for comments"))
    # [{"lineage", "number", "title", "description", "priority", "priority_label", "activities": [..]}]
    snapshot = models.JSONField(_("the rows as commented"), default=list, editable=False)
    opened_by = user_link(_("opened by"))

    history = HistoricalRecords(excluded_fields=["snapshot"])
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("public comment period")
        verbose_name_plural = _("public comment periods")
        ordering = ["-opens_at"]

    def __str__(self):
        return f"{self.version} ({self.opens_at:%Y-%m-%d} - {self.closes_on:%Y-%m-%d})"

    @property
    def council(self):
        return self.version.plan.council

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and timezone.localdate(now) <= self.closes_on

    def row(self, lineage) -> dict | None:
        """The snapshot's row of ``lineage`` (a UUID or its text), else None."""
        wanted = str(lineage)
        return next((row for row in self.snapshot if row["lineage"] == wanted), None)


def comment_moderators_q(queryset: CouncilOwnedQuerySet, user) -> Q:
    """The rule ``plans.moderate_comments``: the council's technical secretary and SKN."""
    return queryset.roles_q(user, (Role.SECRETARY, *SKN_ROLES), admin=False)


class CommentQuerySet(CouncilOwnedQuerySet):
    def readable(self, user) -> Q:
        """Published comments for whoever reads the council's plans; every comment, as written,
        for the moderators."""
        published = Q(status=PlanComment.Status.PUBLISHED) & self.roles_q(user, observer=True)
        return published | comment_moderators_q(self, user)


class PlanComment(TimeStampedModel, CouncilOwned):
    """A citizen's comment on the plan under public comment, or on one of its rows."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("not published")

    class Answer(models.TextChoices):
        TAKEN_UP = "taken_up", _("taken up")
        PARTLY = "partly", _("partly taken up")
        NOT_TAKEN_UP = "not_taken_up", _("not taken up")

    council = council_link("plan_comments")
    period = models.ForeignKey(
        CommentPeriod, on_delete=models.PROTECT, related_name="comments", verbose_name=_("comment period")
    )
    code = models.CharField(_("reference code"), max_length=9, unique=True, editable=False)
    # The row commented on (its lineage in the snapshot), empty for the whole plan; its number and
    # title as they were commented, for display.
    row_lineage = models.UUIDField(_("row"), null=True, blank=True)
    row_number = models.CharField(_("row number"), max_length=10, blank=True)
    row_title = models.CharField(_("row"), max_length=300, blank=True)
    text = models.TextField(_("what the citizen wrote"), max_length=COMMENT_MAX_CHARS)
    public_text = models.TextField(_("published text"), max_length=COMMENT_MAX_CHARS, blank=True)
    redacted = models.BooleanField(_("redacted before publishing"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = user_link(_("moderated by"))
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    answer = models.CharField(_("the SKN's answer"), max_length=20, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("reason for the answer"), max_length=2000, blank=True)
    answered_by = user_link(_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    # The citizen's words may hold personal data: the trail records what happened, not what it said.
    history = HistoricalRecords(excluded_fields=["text", "public_text"])
    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("public comment on the plan")
        verbose_name_plural = _("public comments on the plan")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="") | Q(status="published"), name="plans_comment_answered_if_published"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def on_row(self) -> bool:
        return self.row_lineage is not None


class CommentContactQuerySet(CouncilOwnedQuerySet):
    council_path = "comment__council"

    def readable(self, user) -> Q:
        return comment_moderators_q(self, user)


class PlanCommentContact(CouncilOwned):
    """The e-mail a citizen left with a comment: moderators only; not in the audit trail, exports,
    the API or logs."""

    comment = models.OneToOneField(
        PlanComment, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="sq")

    objects = CommentContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact of a comment")
        verbose_name_plural = _("contacts of comments")

    def __str__(self):
        return f"contact of {self.comment_id}"

    def __repr__(self):
        return f"<PlanCommentContact of {self.comment_id}>"
