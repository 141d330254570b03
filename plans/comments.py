"""Public comment on a submitted plan version (issue 23 item 2): the SKN opens a period, citizens
comment (on the whole plan or on one row), the SKN and the technical secretary moderate as they
moderate concerns, the SKN answers each published comment, and the approved plan shows "what
changed after public comment" (``what_changed``: the commented snapshot against the version).

Writes validate, then write in one transaction. The citizen's protections are the concern form's
(consultations/services.py): the reference code (``new_code``), moderation and redaction before
anything is public, the private e-mail used only to send the code and the answer.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consultations.services import new_code, retention_cutoff
from councils.models import SKN_ROLES, Role
from councils.selectors import users_with_roles
from kvsp.core import public_cache
from kvsp.core.links import slot_url
from kvsp.core.models import User
from kvsp.notify import kinds
from kvsp.notify import services as notify

from .comment_models import (
    COMMENT_MAX_CHARS,
    PERIOD_MAX_DAYS,
    PERIOD_MIN_DAYS,
    CommentPeriod,
    PlanComment,
    PlanCommentContact,
)
from .compare import Change
from .models import Activity, PlanVersion

CS = PlanComment.Status

# A comment waiting for moderation (to the SKN and the technical secretary).
COMMENT_RECEIVED = "plan_comment_received"
# To the citizen who left an e-mail: the code, then the SKN's answer.
COMMENT_RECEIPT = "plan_comment_receipt"
COMMENT_ANSWERED = "plan_comment_answered"

KINDS = (
    kinds.Kind(
        COMMENT_RECEIVED, gettext_lazy("Public comment on the plan to moderate"), reminder=False, handoff=True
    ),
    kinds.Kind(COMMENT_RECEIPT, gettext_lazy("Receipt of a comment on the plan"), reminder=False),
    kinds.Kind(COMMENT_ANSWERED, gettext_lazy("The SKN's answer to a comment on the plan"), reminder=False),
)


def register_kinds() -> None:
    kinds.register(*KINDS)


# --- the snapshot -------------------------------------------------------------------------------


def snapshot_of(version: PlanVersion) -> list[dict]:
    """The version's rows as the public reads them: lineage, number, title, description,
    priority and the activities' texts, in order. Three queries."""
    rows = version.problems.order_by("position").prefetch_related(
        Prefetch(
            "activities", queryset=Activity.objects.order_by("position").only("id", "problem_id", "text")
        )
    )
    return [
        {
            "lineage": str(row.lineage),
            "number": row.number,
            "title": row.title,
            "description": row.description,
            "priority": row.priority,
            "priority_label": str(row.get_priority_display()),
            "activities": [activity.text for activity in row.activities.all()],
        }
        for row in rows
    ]


# --- the period ---------------------------------------------------------------------------------


def day_label(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


@transaction.atomic
@public_cache.invalidates
def period_open(*, version: PlanVersion, closes_on: date, user: User | None, now=None) -> CommentPeriod:
    """Open a submitted version for public comment until the end of ``closes_on`` (7 to 60 days
    from today), freezing the rows as they are now."""
    now = now or timezone.now()
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PlanVersion.Status.SUBMITTED:
        raise ValidationError(_("Only a version submitted for approval can be opened for public comment."))
    if CommentPeriod.objects.filter(version=version).exists():
        raise ValidationError(_("This version was already opened for public comment."))
    today = timezone.localdate(now)
    earliest, latest = today + timedelta(days=PERIOD_MIN_DAYS), today + timedelta(days=PERIOD_MAX_DAYS)
    if not earliest <= closes_on <= latest:
        raise ValidationError(
            {
                "closes_on": _("Choose a last day between %(earliest)s and %(latest)s (7 to 60 days).")
                % {"earliest": day_label(earliest), "latest": day_label(latest)}
            }
        )
    return CommentPeriod.objects.create(
        version=version, opens_at=now, closes_on=closes_on, snapshot=snapshot_of(version), opened_by=user
    )


def closed_message(period: CommentPeriod | None, now=None) -> str | None:
    """Why a comment cannot be taken now, in the reader's language; None while the period is open."""
    now = now or timezone.now()
    if period is None:
        return _("This version of the plan is not open for public comment.")
    if period.version.status == PlanVersion.Status.APPROVED:
        return _(
            "The plan was approved: the public comment is over. You can still raise a concern with "
            "the council."
        )
    if period.is_open(now):
        return None
    if period.opens_at > now:
        return _("The public comment on this plan has not started yet.")
    return _(
        "The public comment on this plan closed on %(date)s: comments are no longer taken. "
        "You can still raise a concern with the council."
    ) % {"date": day_label(period.closes_on)}


def approval_refusal(version: PlanVersion, now=None) -> str | None:
    """Why ``version`` cannot be approved yet because of its public comment (None: it can). A
    version opened for comment is approved only once the period is over and every comment has been
    moderated and every published one answered: citizens who were asked are heard before the
    council decides, and an approval cannot cut the period short."""
    period = CommentPeriod.objects.filter(version=version).first()
    if period is None:
        return None
    now = now or timezone.now()
    if timezone.localdate(now) <= period.closes_on:
        return _(
            "This version is open for public comment until %(date)s: it is approved once the comment "
            "period is over."
        ) % {"date": day_label(period.closes_on)}
    waiting = period.comments.filter(Q(status=CS.RECEIVED) | Q(status=CS.PUBLISHED, answer="")).count()
    if waiting:
        return ngettext(
            "%(count)d public comment still waits for moderation or for the SKN's answer: every "
            "comment is answered before the plan is approved.",
            "%(count)d public comments still wait for moderation or for the SKN's answer: every "
            "comment is answered before the plan is approved.",
            waiting,
        ) % {"count": waiting}
    return None


def open_periods(council, now=None) -> list[CommentPeriod]:
    """The council's versions open for comment now, for its public page. One query."""
    now = now or timezone.now()
    periods = CommentPeriod.objects.filter(
        version__plan__council=council, opens_at__lte=now, closes_on__gte=timezone.localdate(now)
    ).exclude(version__status=PlanVersion.Status.APPROVED)
    return list(periods.select_related("version__plan").order_by("closes_on", "pk"))


# --- comments -----------------------------------------------------------------------------------


def _comment_link(comment: PlanComment) -> str:
    return settings.SITE_URL + slot_url("public:plan-comment", comment.council.slug, comment.code)


def _staff_url(comment: PlanComment) -> str:
    version = comment.period.version
    return reverse(
        "plans:comment", args=[comment.council.slug, version.plan.year, version.number, comment.pk]
    )


def _tell_moderators(comment: PlanComment) -> int:
    council = comment.council
    version = comment.period.version
    url = _staff_url(comment)

    def render():
        return {
            "subject": _("A public comment on the plan %(year)s waits for moderation")
            % {"year": version.plan.year},
            "lines": [
                _("A citizen commented on version %(number)s of the plan (%(council)s), code %(code)s.")
                % {"number": version.number, "council": council, "code": comment.code}
            ],
            "url": url,
            "action": _("Moderate the comment"),
        }

    users = users_with_roles(council, Role.SECRETARY, *SKN_ROLES)
    key = f"{COMMENT_RECEIVED}:{comment.pk}"
    return notify.notify(
        notify.Pending(user=user, kind=COMMENT_RECEIVED, key=key, render=render) for user in users
    )


def _tell_citizen(comment: PlanComment, template: str, key: str) -> None:
    contact = PlanCommentContact.objects.filter(comment=comment).first()
    if contact is None:
        return
    notify.enqueue(
        recipients=[contact.email],
        kind=template,
        key=key,
        template=template,
        context={"comment": comment, "council": comment.council, "link": _comment_link(comment)},
        language=contact.language,
    )


@transaction.atomic
@public_cache.invalidates
def comment_submit(
    *, period: CommentPeriod, text: str, row: str = "", contact_email: str = "", now=None
) -> PlanComment:
    """A citizen's comment on the plan (``row`` empty) or on one of its rows (the row's lineage in
    the period's snapshot), while the period is open. With an e-mail address, the citizen gets the
    code by e-mail; the SKN and the technical secretary are told a comment waits."""
    refused = closed_message(period, now)
    if refused:
        raise ValidationError(refused)
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = _("Write your comment.")
    elif len(text) > COMMENT_MAX_CHARS:
        errors["text"] = _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX_CHARS}
    snapshot_row = period.row(row) if row else None
    if row and snapshot_row is None:
        errors["row"] = _("Choose a row of this plan, or the whole plan.")
    if errors:
        raise ValidationError(errors)
    council = period.version.plan.council
    for _attempt in range(5):
        try:
            with transaction.atomic():
                comment = PlanComment.objects.create(
                    council=council,
                    period=period,
                    code=new_code(),
                    row_lineage=snapshot_row["lineage"] if snapshot_row else None,
                    row_number=snapshot_row["number"] if snapshot_row else "",
                    row_title=snapshot_row["title"] if snapshot_row else "",
                    text=text,
                )
            break
        except IntegrityError:  # the code was taken: 31^8 codes, so this almost never repeats
            continue
    else:  # pragma: no cover - five collisions in a row cannot happen in practice
        raise RuntimeError("no free reference code")
    email = contact_email.strip()
    if email:
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:8]
        PlanCommentContact.objects.create(comment=comment, email=email, language=language)
        _tell_citizen(comment, COMMENT_RECEIPT, f"{COMMENT_RECEIPT}:{comment.pk}:")
    _tell_moderators(comment)
    return comment


def _locked(comment: PlanComment) -> PlanComment:
    return PlanComment.objects.select_for_update().select_related("period__version__plan").get(pk=comment.pk)


@transaction.atomic
@public_cache.invalidates
def comment_publish(*, comment: PlanComment, public_text: str, user: User) -> PlanComment:
    """Show the comment publicly with the text the moderator approved (redacted if they changed
    it); publishing again corrects it. The original stays with the moderators."""
    comment = _locked(comment)
    public_text = public_text.strip()
    if not public_text:
        raise ValidationError({"public_text": _("Write the text to publish.")})
    if len(public_text) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"public_text": _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX_CHARS}}
        )
    comment.public_text = public_text
    comment.redacted = public_text != comment.text.strip()
    comment.status = CS.PUBLISHED
    comment.status_reason = ""
    comment.moderated_by, comment.moderated_at = user, timezone.now()
    comment.save()
    notify.withdraw(f"{COMMENT_RECEIVED}:{comment.pk}:")
    return comment


@transaction.atomic
@public_cache.invalidates
def comment_reject(*, comment: PlanComment, reason: str, user: User) -> PlanComment:
    """Not published (off-topic, abusive, about a person): the reason shows on the code's page.
    An answer given to it is withdrawn with it."""
    comment = _locked(comment)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the comment is not published.")})
    comment.status = CS.REJECTED
    comment.status_reason = reason.strip()[:300]
    comment.answer, comment.answer_reason, comment.answered_by, comment.answered_at = "", "", None, None
    comment.moderated_by, comment.moderated_at = user, timezone.now()
    comment.save()
    notify.withdraw(f"{COMMENT_RECEIVED}:{comment.pk}:")
    return comment


@transaction.atomic
@public_cache.invalidates
def comment_answer(*, comment: PlanComment, answer: str, reason: str, user: User) -> PlanComment:
    """The SKN's answer to a published comment: taken up, partly or not, with a reason. Answering
    again corrects it; the citizen who left an e-mail is told each answer once."""
    comment = _locked(comment)
    if comment.status != CS.PUBLISHED:
        raise ValidationError(_("Only a published comment is answered: publish it first."))
    errors = {}
    if answer not in PlanComment.Answer.values:
        errors["answer"] = _("Choose whether the comment was taken up.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the answer.")
    if errors:
        raise ValidationError(errors)
    comment.answer, comment.answer_reason = answer, reason.strip()[:2000]
    comment.answered_by, comment.answered_at = user, timezone.now()
    comment.save()
    _tell_citizen(
        comment, COMMENT_ANSWERED, f"{COMMENT_ANSWERED}:{comment.pk}:{comment.answered_at.isoformat()}"
    )
    return comment


@transaction.atomic
@public_cache.invalidates
def contacts_purge(*, as_of: date) -> int:
    """Delete the e-mails left with comments, and the messages sent to them, once the period closed
    longer ago than the concerns' retention period (Law 124/2024, SECURITY.md): the code and the
    answer were sent by then. Running it twice deletes nothing more. Returns how many."""
    cutoff = timezone.localdate(retention_cutoff(as_of))
    contacts = PlanCommentContact.objects.filter(comment__period__closes_on__lt=cutoff)
    for pk in contacts.values_list("comment_id", flat=True):
        for kind in (COMMENT_RECEIPT, COMMENT_ANSWERED):
            notify.forget(f"{kind}:{pk}:")
    deleted, _by_model = contacts.delete()
    return deleted


# --- reading ------------------------------------------------------------------------------------


def published_comments(period: CommentPeriod) -> list[PlanComment]:
    """The period's published comments, the whole plan's first, then by row as commented. One query."""
    comments = list(period.comments.filter(status=CS.PUBLISHED).order_by("created_at", "pk"))
    order = {row["lineage"]: index for index, row in enumerate(period.snapshot)}
    comments.sort(key=lambda c: (c.on_row, order.get(str(c.row_lineage), len(order))))
    return comments


def counts(period: CommentPeriod) -> dict[str, int]:
    """How many comments the period had, by status, and how many published ones are answered."""
    found = period.comments.aggregate(
        received=Count("pk", filter=Q(status=CS.RECEIVED)),
        published=Count("pk", filter=Q(status=CS.PUBLISHED)),
        rejected=Count("pk", filter=Q(status=CS.REJECTED)),
        answered=Count("pk", filter=Q(status=CS.PUBLISHED) & ~Q(answer="")),
    )
    return found


# --- what changed after public comment ----------------------------------------------------------

SNAPSHOT_FIELDS = [
    ("number", gettext_lazy("number")),
    ("title", gettext_lazy("identified problem")),
    ("description", gettext_lazy("description")),
    ("priority_label", gettext_lazy("priority")),
]


@dataclass
class RowChange:
    """A row added, removed or changed between the commented snapshot and the version."""

    kind: str  # "added", "removed", "changed"
    number: str
    title: str
    lineage: str
    changes: list[Change] = field(default_factory=list)
    activities_added: list[str] = field(default_factory=list)
    activities_removed: list[str] = field(default_factory=list)


def _activity_changes(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """Activities by their text: one reworded reads as removed and added."""
    return [text for text in after if text not in before], [text for text in before if text not in after]


def what_changed(period: CommentPeriod) -> list[RowChange]:
    """The rows that changed between the snapshot (as commented) and the version now (the approved
    one, once approved), matched by lineage, in the version's order, removed rows last. Three
    queries (the version's rows, read as the snapshot was written)."""
    before = {row["lineage"]: row for row in period.snapshot}
    after = {row["lineage"]: row for row in snapshot_of(period.version)}
    result = []
    for lineage, row in after.items():
        old = before.get(lineage)
        if old is None:
            result.append(
                RowChange("added", row["number"], row["title"], lineage, activities_added=row["activities"])
            )
            continue
        changes = [
            Change(str(label), str(old.get(name, "")), str(row.get(name, "")))
            for name, label in SNAPSHOT_FIELDS
            if old.get(name, "") != row.get(name, "")
        ]
        added, removed = _activity_changes(old["activities"], row["activities"])
        if changes or added or removed:
            result.append(RowChange("changed", row["number"], row["title"], lineage, changes, added, removed))
    for lineage, row in before.items():
        if lineage not in after:
            result.append(
                RowChange(
                    "removed", row["number"], row["title"], lineage, activities_removed=row["activities"]
                )
            )
    return result
