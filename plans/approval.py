"""The plan's way to approval: the SKN or the technical secretary submits a draft, the chair returns
it with comments or approves it by choosing a recorded decision of a held council meeting — not by
typing a number and a date. Each step tells the next person (kvsp/notify) and withdraws the notice
that asked for it.

The decision that approves a version (``eligible_decisions``, checked again by ``version_approve``):
one of this council's, of a held, not cancelled, public council meeting (``Meeting.PUBLIC_KINDS``,
not restricted) that has started after the version was submitted, whose minutes are approved and
at which someone was recorded present — its decisions are public only then — and not cited by
another version — the database keeps one version per decision, so two approvals racing for one
decision end in the same refusal.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.meetings.models import Attendance, Decision, Meeting, Minutes
from councils.models import SKN_ROLES, Role
from councils.selectors import users_with_roles
from kvsp.core import public_cache
from kvsp.core.models import User
from kvsp.notify import kinds
from kvsp.notify import services as notify
from kvsp.notify.keys import stamp as notice_stamp

from .comments import approval_refusal as comment_refusal
from .models import PlanVersion
from .services import Status, _locked_version, _problems_errors, _step

# Hand-off notices (registered in plans/apps.py).
PLAN_SUBMITTED = "plan_submitted"
PLAN_RETURNED = "plan_returned"
PLAN_APPROVED = "plan_approved"

KINDS = (
    kinds.Kind(PLAN_SUBMITTED, gettext_lazy("Plan waiting for your approval"), reminder=False, handoff=True),
    kinds.Kind(PLAN_RETURNED, gettext_lazy("Plan returned with comments"), reminder=False, handoff=True),
    kinds.Kind(PLAN_APPROVED, gettext_lazy("Plan approved and published"), reminder=False, handoff=True),
)


def register_kinds() -> None:
    kinds.register(*KINDS)


# --- which decisions may approve a version -----------------------------------------------------


# Someone came: a meeting with nobody recorded present approves nothing.
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.REPRESENTED)


def seen_stamp(version: PlanVersion) -> str:
    """What the chair saw: the submission it opened (a return and a new submission change it)."""
    return version.submitted_at.isoformat() if version.submitted_at else ""


def _attended(meeting_id) -> bool:
    return Attendance.objects.filter(meeting_id=meeting_id, status__in=ATTENDED).exists()


def eligible_decisions(version: PlanVersion) -> QuerySet[Decision]:
    """The decisions the chair may choose to approve ``version``, newest first."""
    decisions = Decision.objects.filter(
        council_id=version.plan.council_id,
        meeting__kind__in=Meeting.PUBLIC_KINDS,
        meeting__restricted=False,
        meeting__status=Meeting.Status.HELD,
        meeting__starts_at__lte=timezone.now(),
        meeting__minutes__status=Minutes.Status.APPROVED,
        plan_version__isnull=True,
    ).filter(Exists(Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), status__in=ATTENDED)))
    if version.submitted_at is not None:
        decisions = decisions.filter(meeting__starts_at__gt=version.submitted_at)
    return decisions.select_related("meeting").order_by("-meeting__starts_at", "-number")


def decision_refusal(version: PlanVersion, decision: Decision | None) -> str | None:
    """Why ``decision`` cannot approve ``version`` (None: it can)."""
    if decision is None:
        return _("Choose the council's decision that approved the plan.")
    meeting = decision.meeting
    if decision.council_id != version.plan.council_id:
        return _("Choose a decision of this council.")
    if not meeting.is_public:
        return _("Choose a decision of a council meeting: a plan is approved by the council.")
    if meeting.status == Meeting.Status.CANCELLED:
        return _("That meeting was cancelled: its decisions cannot approve the plan.")
    if not meeting.has_started or meeting.status != Meeting.Status.HELD:
        return _("That meeting has not been held yet.")
    if version.submitted_at is not None and meeting.starts_at <= version.submitted_at:
        return _("That meeting was held before the plan was submitted: choose a decision taken after it.")
    minutes = Minutes.objects.filter(meeting_id=meeting.pk).first()
    if minutes is None or minutes.status != Minutes.Status.APPROVED:
        return _(
            "The minutes of that meeting are not approved yet: its decisions approve the plan once "
            "the minutes are approved."
        )
    if not _attended(meeting.pk):
        return _("Nobody was recorded present at that meeting: record its attendance first.")
    cited = (
        PlanVersion.objects.filter(decision=decision).exclude(pk=version.pk).select_related("plan").first()
    )
    if cited is not None:
        return _("That decision already approved the plan %(year)s, version %(number)s.") % {
            "year": cited.plan.year,
            "number": cited.number,
        }
    return None


def decision_choice_label(decision: Decision) -> str:
    """ "Decision no. 3/2026 — council meeting — 12.03.2026: Approves the plan…" """
    text = " ".join(decision.text.split())
    if len(text) > 90:
        text = text[:89] + "…"
    return _("%(decision)s — %(meeting)s: %(text)s") % {
        "decision": decision.label,
        "meeting": decision.meeting,
        "text": text,
    }


# --- notices -----------------------------------------------------------------------------------


def _version_args(version: PlanVersion) -> list:
    return [version.plan.council.slug, version.plan.year, version.number]


def _notify(version: PlanVersion, kind: str, users, render, stamp) -> int:
    key = f"{kind}:{version.pk}:{notice_stamp(stamp)}"
    return notify.notify(notify.Pending(user=user, kind=kind, key=key, render=render) for user in users)


def _withdraw_waiting(version: PlanVersion) -> None:
    notify.withdraw(f"{PLAN_SUBMITTED}:{version.pk}:")


def _withdraw_returned(version: PlanVersion) -> None:
    """The return is handled once the version is submitted again (or approved)."""
    notify.withdraw(f"{PLAN_RETURNED}:{version.pk}:")


def _notify_submitted(version: PlanVersion) -> int:
    council = version.plan.council
    url = reverse("plans:approve", args=_version_args(version))

    def render():
        return {
            "subject": _("The plan %(year)s waits for your approval") % {"year": version.plan.year},
            "lines": [
                _("Version %(number)s was submitted for approval (%(council)s).")
                % {"number": version.number, "council": council}
            ],
            "url": url,
            "action": _("Approve or return it"),
        }

    return _notify(
        version, PLAN_SUBMITTED, users_with_roles(council, Role.CHAIR), render, version.submitted_at
    )


def _notify_returned(version: PlanVersion, returned_at) -> int:
    council = version.plan.council
    url = reverse("plans:version", args=_version_args(version))
    comment = version.returned_comment

    def render():
        return {
            "subject": _("The chair returned the plan %(year)s with comments") % {"year": version.plan.year},
            "lines": [
                _("Version %(number)s is a draft again (%(council)s). The chair's comments:")
                % {"number": version.number, "council": council},
                comment,
            ],
            "url": url,
            "action": _("Open the plan"),
        }

    users = users_with_roles(council, *SKN_ROLES, Role.SECRETARY)
    return _notify(version, PLAN_RETURNED, users, render, returned_at)


def _notify_approved(version: PlanVersion) -> int:
    council = version.plan.council
    url = reverse("plans:version", args=_version_args(version))
    decision = version.decision

    def render():
        return {
            "subject": _("The plan %(year)s was approved and published") % {"year": version.plan.year},
            "lines": [
                _("Version %(number)s was approved by decision no. %(decision)s of %(date)s (%(council)s).")
                % {
                    "number": version.number,
                    "decision": decision,
                    "date": date_format(version.decision_date, "SHORT_DATE_FORMAT"),
                    "council": council,
                },
                _("It is published on the public portal."),
            ],
            "url": url,
            "action": _("Open the plan"),
        }

    users = users_with_roles(council, *SKN_ROLES, Role.SECRETARY, Role.CHAIR)
    return _notify(version, PLAN_APPROVED, users, render, version.approved_at)


# --- the steps ---------------------------------------------------------------------------------


@transaction.atomic
@public_cache.invalidates
def version_submit(*, version: PlanVersion, user: User) -> PlanVersion:
    """The SKN or the secretary sends the draft to the chair, who is told at once."""
    version = _locked_version(version)
    _step(version, Status.SUBMITTED, _("Only a draft is submitted."))
    errors = _problems_errors(version)
    if errors:
        raise ValidationError(errors)
    version.status = Status.SUBMITTED
    version.submitted_at = timezone.now()
    version.submitted_by = user
    version.save()
    _withdraw_returned(version)
    _notify_submitted(version)
    return version


@transaction.atomic
@public_cache.invalidates
def version_return(*, version: PlanVersion, comment: str) -> PlanVersion:
    """The chair sends a submitted version back to be reworked, saying why; the SKN and the
    secretary are told, and the chair's notice that it waited is withdrawn."""
    version = _locked_version(version)
    _step(version, Status.DRAFT, _("Only a submitted version is returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change before returning the plan.")})
    version.status = Status.DRAFT
    version.returned_comment = comment.strip()
    version.save()
    _withdraw_waiting(version)
    _notify_returned(version, timezone.now())
    return version


@transaction.atomic
@public_cache.invalidates
def version_approve(
    *,
    version: PlanVersion,
    user: User | None,
    decision: Decision | None,
    signed_scan=None,
    seen: str | None = None,
) -> PlanVersion:
    """The chair approves the version by the council's recorded decision; it is published at once.
    The meeting, the decision's number and its date come from the decision. ``seen`` is the
    ``seen_stamp`` of the page the chair read: if the version was returned and submitted again
    since, nothing is approved."""
    version = _locked_version(version)
    _step(version, Status.APPROVED, _("Only a submitted version is approved."))
    if seen is not None and seen != seen_stamp(version):
        raise ValidationError(_("The version changed since you opened this page: read it again"))
    if decision is not None:
        # Locked: a second approval citing it waits here, then finds it cited.
        decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    refusal = decision_refusal(version, decision)
    if refusal:
        raise ValidationError({"decision": refusal})
    refusal = comment_refusal(version)
    if refusal:
        raise ValidationError(refusal)
    version.status = Status.APPROVED
    version.approved_at = timezone.now()
    version.approved_by = user
    version.decision = decision
    version.meeting = decision.meeting
    version.decision_number = str(decision)
    version.decision_date = timezone.localdate(decision.meeting.starts_at)
    if signed_scan:
        version.signed_scan = signed_scan
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as clash:
        if PlanVersion.objects.filter(decision=decision).exclude(pk=version.pk).exists():
            raise ValidationError(
                {"decision": _("That decision already approved another version of a plan.")}
            ) from clash
        raise
    _withdraw_waiting(version)
    _withdraw_returned(version)
    _notify_approved(version)
    from .tasks import render_plan_files_task

    # robust: the approval is committed; a broker outage must not turn it into an error (the PDF
    # view renders and stores a missing file itself).
    transaction.on_commit(lambda: render_plan_files_task.delay(version.pk), robust=True)
    return version
