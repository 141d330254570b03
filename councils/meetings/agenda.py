"""Changes to a draft agenda: an item edited, removed or moved up or down, until the SKN agrees
the agenda (a planned meeting). Positions stay 1..n without gaps; the database keeps each position
unique per meeting, so a swap passes through position 0. An agenda changed after the invitations
went out (an SKN or task-force meeting: a council meeting's invitations wait for the agreed
agenda) sends every invitee the updated invitation (``invitations.invitations_update``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from councils.models import Institution
from kvsp.core import public_cache

from . import invitations, services
from .models import AgendaItem, Meeting

UP, DOWN = "up", "down"


def _draft(item: AgendaItem) -> Meeting:
    """The item's meeting, locked, when its agenda may still change; else a clear refusal."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting's agenda can be changed."))
    if meeting.agenda_status != Meeting.AgendaStatus.DRAFT:
        raise ValidationError(_("The agenda has been agreed and can no longer change."))
    return meeting


def _changed(meeting: Meeting) -> None:
    services._agenda_changed(meeting)  # the SKN agrees the agenda as it will be: sent again
    invitations.invitations_update(meeting=meeting)


@transaction.atomic
@public_cache.invalidates
def agenda_item_update(*, item: AgendaItem, title: str, presenter: Institution | None = None) -> AgendaItem:
    """Reword an item of a draft agenda, or change who presents it."""
    meeting = _draft(item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Write the agenda item.")})
    if (item.title, item.presenter_id) == (title, presenter.pk if presenter else None):
        return item
    item.title, item.presenter = title, presenter
    item.save(update_fields=["title", "presenter", "updated_at"])
    _changed(meeting)
    return item


@transaction.atomic
@public_cache.invalidates
def agenda_item_remove(*, item: AgendaItem) -> Meeting:
    """Remove an item of a draft agenda; the items after it move up one place."""
    meeting = _draft(item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.decisions.exists():
        raise ValidationError(_("A decision cites this item: it cannot be removed."))
    position = item.position
    item.delete()
    # One by one, in order: each moves into the place just freed, so no two share a position.
    for later in meeting.agenda_items.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position", "updated_at"])
    _changed(meeting)
    return meeting


@transaction.atomic
@public_cache.invalidates
def agenda_item_move(*, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item of a draft agenda one place up or down (it swaps with its neighbour)."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Move an item up or down."))
    meeting = _draft(item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    target = item.position - 1 if direction == UP else item.position + 1
    neighbour = meeting.agenda_items.select_for_update().filter(position=target).first()
    if neighbour is None:
        if direction == UP:
            raise ValidationError(_("This item is already the first."))
        raise ValidationError(_("This item is already the last."))
    # Through position 0, which no item holds: the unique (meeting, position) is never broken.
    own = item.position
    item.position = 0
    item.save(update_fields=["position", "updated_at"])
    neighbour.position = own
    neighbour.save(update_fields=["position", "updated_at"])
    item.position = target
    item.save(update_fields=["position", "updated_at"])
    _changed(meeting)
    return item
