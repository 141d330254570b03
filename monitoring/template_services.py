"""Writes of the council's monthly report template (guide, section 3.4). Each validates, then writes
in one transaction.

The SKN (or the technical secretary) drafts a version — the sections of a report, their order and
headings — and submits it; the chair approves it or returns it with comments. The allowed status
changes live in ``STEPS``. An approved version never changes (database triggers, migration 0009,
hold it too): saving a template when the newest version is approved opens the next version. One
version is in the making at a time.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Council
from kvsp.core import public_cache
from kvsp.core.exports import without_control_characters
from kvsp.core.models import User
from plans.services import RowConflict, row_revision

from . import template_handoffs as handoffs
from .models import ReportSection, ReportTemplate

Status = ReportTemplate.Status
STEPS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.RETURNED, Status.APPROVED},
    Status.APPROVED: set(),
}


# The revision of a form opened when no version was in the making.
NEW = "new"


class TemplateLocked(ValidationError):
    """The template version is not in a state that allows this."""


def open_version(council: Council, *, lock: bool = False) -> ReportTemplate | None:
    """The council's version in the making (draft, submitted or returned), if any."""
    found = ReportTemplate.objects.filter(council=council, status__in=ReportTemplate.OPEN_STATUSES)
    return (found.select_for_update() if lock else found).first()


def clean_sections(sections: list[dict]) -> list[dict]:
    """The sections as stored: known kinds, each once, headings trimmed; none at all is refused."""
    errors = []
    cleaned: list[dict] = []
    seen: set[str] = set()
    for section in sections:
        kind = section.get("kind")
        if kind not in ReportSection.values or kind in seen:
            errors.append(_("Each section of the report appears once."))
            continue
        seen.add(kind)
        heading = without_control_characters(" ".join(str(section.get("heading") or "").split()))
        if len(heading) > ReportTemplate.HEADING_LENGTH:
            errors.append(_("Keep each heading to %(n)d characters.") % {"n": ReportTemplate.HEADING_LENGTH})
        cleaned.append({"kind": kind, "heading": heading})
    if not cleaned and not errors:
        errors.append(_("A report template needs at least one section: include one or more sections."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    return cleaned


@transaction.atomic
@public_cache.invalidates
def template_save(
    *, council: Council, user: User, sections: list[dict], revision: str | None = None
) -> ReportTemplate:
    """Write the sections of the council's version in the making, or open the next version when
    there is none. ``revision`` is the version the form was opened on (``NEW`` for none in the
    making): a save made meanwhile by someone else is a conflict, and what was typed comes back."""
    cleaned = clean_sections(sections)
    # One council's versions are written one at a time (the next number, the one open version).
    Council.objects.select_for_update().filter(pk=council.pk).first()
    current = open_version(council, lock=True)
    if current is not None and current.status == Status.SUBMITTED:
        raise TemplateLocked(
            _("The template is with the chair: it can be edited again if the chair returns it.")
        )
    expected = row_revision(current) if current else NEW
    if revision and revision != expected:
        raise RowConflict(expected)
    if current is None:
        number = (ReportTemplate.objects.filter(council=council).aggregate(n=Max("number"))["n"] or 0) + 1
        return ReportTemplate.objects.create(
            council=council, number=number, sections=cleaned, drafted_by=user
        )
    current.sections = cleaned
    current.drafted_by = user
    current.save(update_fields=["sections", "drafted_by", "updated_at"])
    return current


def _open(council: Council, wanted: str, message: str) -> ReportTemplate:
    current = open_version(council, lock=True)
    if current is None or wanted not in STEPS[current.status]:
        raise TemplateLocked(message)
    return current


@transaction.atomic
@public_cache.invalidates
def template_submit(*, council: Council, user: User) -> ReportTemplate:
    """The SKN sends the version in the making to the chair, who is told at once."""
    template = _open(council, Status.SUBMITTED, _("Only a draft or returned template is submitted."))
    clean_sections(template.sections)  # (a stored version always has a section; checked again)
    template.status = Status.SUBMITTED
    template.submitted_at = timezone.now()
    template.submitted_by = user
    template.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    handoffs.withdraw_returned(template)
    handoffs.notify_submitted(template)
    return template


@transaction.atomic
@public_cache.invalidates
def template_return(*, council: Council, user: User, comment: str) -> ReportTemplate:
    """The chair sends the submitted version back to the SKN with what needs to change."""
    template = _open(council, Status.RETURNED, _("Only a submitted template is returned."))
    comment = without_control_characters(comment.strip())
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change.")})
    template.status = Status.RETURNED
    template.returned_comment = comment
    template.returned_at = timezone.now()
    template.returned_by = user
    template.save(update_fields=["status", "returned_comment", "returned_at", "returned_by", "updated_at"])
    handoffs.withdraw_submitted(template)
    handoffs.notify_returned(template)
    return template


@transaction.atomic
@public_cache.invalidates
def template_approve(*, council: Council, user: User) -> ReportTemplate:
    """The chair approves the submitted version: the reports opened from now on follow it, those
    opened before keep theirs. It never changes again."""
    template = _open(council, Status.APPROVED, _("Only a submitted template is approved."))
    template.status = Status.APPROVED
    template.approved_at = timezone.now()
    template.approved_by = user
    template.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    handoffs.withdraw_submitted(template)
    handoffs.notify_approved(template)
    return template
