"""Authorization rows of the invitation step, the move of a meeting and the draft agenda's changes
(councils/meetings/invitation_views.py), written by hand. The matrix's {meeting} is a held council
meeting with one agenda item and nobody invited: its pages open for the technical secretary (and
the platform admin); a refused change (a held meeting is neither moved nor its agenda changed)
comes back as a form error (200) or, for a button, as a message on the page it was on (302)."""

from tests.authz.matrix_lib import INVITE_GET, INVITE_POST, MANAGE_MEETING, Row

# A page that only reads (GET) or a button (POST only): the other method is none of them (405) for
# whoever may use it.
GET_ONLY_POST = INVITE_GET
BUTTON_GET = INVITE_GET
BUTTON_POST = INVITE_POST


def _item(pages) -> int:
    """The agenda item of the council's {meeting}."""
    from councils.meetings.models import AgendaItem

    return (
        AgendaItem.objects.filter(meeting_id=pages.meeting)
        .order_by("position")
        .values_list("pk", flat=True)[0]
    )


def item_row(get: dict, post: dict, action: str) -> Row:
    def page(pages) -> str:
        return pages.path(f"meetings/{{meeting}}/agenda/{_item(pages)}/{action}/")

    return Row(get, post, lambda ctx: page(ctx["own"]), lambda ctx: page(ctx["other"]))


def meeting_row(get: dict, post: dict, page: str) -> Row:
    return Row(get, post, lambda ctx: ctx["own"].path(page), lambda ctx: ctx["other"].path(page))


ROWS: dict[str, Row] = {
    # One letter per invited person without e-mail (here nobody: a one-page PDF that says so).
    "meetings:invitation-letters": meeting_row(
        MANAGE_MEETING, GET_ONLY_POST, "meetings/{meeting}/invitations/letters.pdf"
    ),
    # Nobody to record: an empty POST saves nothing and goes back to the meeting.
    "meetings:invitation-reach": meeting_row(
        MANAGE_MEETING, BUTTON_POST, "meetings/{meeting}/invitations/reached/"
    ),
    # An empty POST comes back with its errors.
    "meetings:meeting-move": meeting_row(MANAGE_MEETING, MANAGE_MEETING, "meetings/{meeting}/move/"),
    "meetings:agenda": meeting_row(MANAGE_MEETING, GET_ONLY_POST, "meetings/{meeting}/agenda/"),
    "meetings:agenda-item-edit": item_row(MANAGE_MEETING, MANAGE_MEETING, "edit"),
    "meetings:agenda-item-remove": item_row(BUTTON_GET, BUTTON_POST, "remove"),
    "meetings:agenda-item-move": item_row(BUTTON_GET, BUTTON_POST, "move"),
}
