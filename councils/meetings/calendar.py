"""iCalendar (.ics) for meetings: the feeds (a council's public one, a person's private one) and
the files attached to invitations, updates and cancellations.

Every event of a meeting has the same UID wherever it appears and carries the meeting's
``sequence`` (raised when the meeting is moved, cancelled or its agenda changes after the
invitations), so a calendar that holds it replaces it with the newer version; a cancelled meeting
stays in the feeds, STATUS:CANCELLED."""

from collections.abc import Iterable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting

DEFAULT_LENGTH = timedelta(hours=2)


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.SITE_URL.split('://')[-1]}"


def _event(meeting: Meeting, stamp) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + DEFAULT_LENGTH)
    event.add("summary", f"{capfirst(meeting.get_kind_display())} — {meeting.council}")
    event.add("location", meeting.place)
    if meeting.title:
        event.add("description", meeting.title)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def _calendar(name: str, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//KVSP//Keshillat Vendore te Sigurise Publike//SQ")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def meetings_ics(meetings: Iterable[Meeting], *, name: str, events: Iterable[Event] = ()) -> bytes:
    """A calendar of the given meetings; a cancelled one is kept, marked CANCELLED. ``events``:
    other events of the calendar (the council's public one adds its open consultations)."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for meeting in meetings:
        calendar.add_component(_event(meeting, stamp))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def meeting_message_ics(meeting: Meeting, *, email: str = "", name: str = "") -> bytes:
    """The file attached to an invitation, an update or a cancellation sent to one person:
    METHOD:REQUEST with the meeting's current SEQUENCE, or METHOD:CANCEL (STATUS:CANCELLED) once it
    is cancelled; the same UID as in the feeds, so the person's calendar replaces its copy."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    calendar = _calendar(str(meeting.council), "CANCEL" if cancelled else "REQUEST")
    event = _event(meeting, timezone.now())
    sender_name, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{sender}")
    organizer.params["cn"] = vText(sender_name or str(meeting.council))
    event.add("organizer", organizer)
    if email:
        attendee = vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["cn"] = vText(name)
        attendee.params["rsvp"] = vText("FALSE")  # the answer is given on the meeting's page
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
