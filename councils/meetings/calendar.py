"""iCalendar (.ics) for meetings: the public feed of a council and the attachment of invitations."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from icalendar import Calendar, Event

from .models import Meeting

DEFAULT_LENGTH = timedelta(hours=2)


def meetings_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A calendar of the given meetings; a cancelled one is kept, marked CANCELLED."""
    calendar = Calendar()
    calendar.add("prodid", "-//KVSP//Keshillat Vendore te Sigurise Publike//SQ")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{settings.SITE_URL.split('://')[-1]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + DEFAULT_LENGTH)
        event.add("summary", f"{capfirst(meeting.get_kind_display())} — {meeting.council}")
        event.add("location", meeting.place)
        if meeting.title:
            event.add("description", meeting.title)
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
