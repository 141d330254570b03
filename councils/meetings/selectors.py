"""Reads shared by the staff pages, the public pages and the PDF."""

from .models import Meeting


def minutes_context(meeting: Meeting) -> dict:
    """What the minutes document shows, on the page and in the PDF alike."""
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.select_related("presenter")),
        "attendance": list(meeting.attendance.select_related("person", "institution")),
        "decisions": list(meeting.decisions.select_related("agenda_item")),
        "minutes": getattr(meeting, "minutes", None),
        "invitations": list(meeting.invitations.select_related("person")),
        "amendments": list(meeting.minutes.amendments.select_related("author"))
        if hasattr(meeting, "minutes")
        else [],
    }
