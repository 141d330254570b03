"""An open consultation as an iCalendar event, for the council's public calendar
(``/<municipality>/meetings.ics``): the meetings citizens actually attend.

Its UID (``consultation-<id>@<host>``) never changes, so a calendar that subscribed to the feed
replaces its copy when the consultation is moved; a consultation cancelled after its announcement
stays, STATUS:CANCELLED (as the council's page shows it). LAST-MODIFIED is its last change."""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Event

from councils.meetings.calendar import DEFAULT_LENGTH

from .models import Consultation


def consultation_uid(consultation: Consultation) -> str:
    return f"consultation-{consultation.pk}@{settings.SITE_URL.split('://')[-1]}"


def consultation_event(consultation: Consultation, stamp: datetime, *, url: str = "") -> Event:
    """The consultation's date and place, as its public page shows them."""
    event = Event()
    event.add("uid", consultation_uid(consultation))
    event.add("dtstamp", stamp)
    event.add("last-modified", consultation.updated_at)
    event.add("dtstart", consultation.starts_at)
    event.add("dtend", consultation.starts_at + DEFAULT_LENGTH)
    event.add("summary", _("Open consultation — %(council)s") % {"council": consultation.council})
    event.add("location", consultation.place)
    if consultation.title:
        event.add("description", consultation.title)
    if url:
        event.add("url", url)
    cancelled = consultation.status == Consultation.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event
