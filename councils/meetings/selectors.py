"""Reads shared by the staff pages, the public pages and the PDF."""

import re

from kvsp.core.models import User

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
        "specialists": list(meeting.specialists.all()),
        "documents": list(meeting.documents.select_related("council")),
        "amendments": list(meeting.minutes.amendments.select_related("author"))
        if hasattr(meeting, "minutes")
        else [],
    }


def minutes_outline(meeting: Meeting) -> str:
    """The minutes as first opened: one heading per agenda item ("1. <item>"), each its own
    paragraph, for the writer to fill in."""
    return "\n\n".join(f"{item.position}. {item.title}" for item in meeting.agenda_items.order_by("position"))


def attendance_rates(council, year: int) -> list[dict]:
    """Per institution, over the year's held council meetings: how often it was there (present or
    represented by a deputy) out of the meetings where its attendance was recorded."""
    from django.db.models import Count, Q

    from .models import Attendance

    rows = (
        Attendance.objects.filter(
            meeting__council=council,
            meeting__kind__in=Meeting.PUBLIC_KINDS,
            meeting__status=Meeting.Status.HELD,
            meeting__starts_at__year=year,
        )
        .values("institution__name")
        .annotate(
            recorded=Count("meeting", distinct=True),
            attended=Count(
                "meeting",
                filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.REPRESENTED]),
                distinct=True,
            ),
        )
        .order_by("institution__name")
    )
    return [
        {**row, "rate": round(100 * row["attended"] / row["recorded"]) if row["recorded"] else 0}
        for row in rows
    ]


def archive_search(documents, query: str):
    """Documents whose title matches: PostgreSQL full-text search with the ``simple``
    configuration on the accent-folded title; a plain substring match on SQLite."""
    from django.db import connection

    from kvsp.core.text import fold

    words = [word for word in re.split(r"\W+", fold(query)) if word]
    if not words:
        return documents
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("search_text", config="simple")
        search = SearchQuery(
            " & ".join(f"{word}:*" for word in words if word.isalnum()) or words[0],
            config="simple",
            search_type="raw",
        )
        return documents.annotate(search=vector).filter(search=search)
    for word in words:
        documents = documents.filter(search_text__contains=word)
    return documents


def readable_meetings(user: User, meetings=None):
    """The meetings a user may read (the rule ``meetings.view_meeting``, as one query), wherever
    they are: also a meeting of a council where an invited person holds no role today (their
    calendar keeps it). A council's pages read ``Meeting.objects.for_user``."""
    from .models import readable_meetings_q

    meetings = Meeting.objects.all() if meetings is None else meetings
    if not user.is_authenticated or not user.is_active:
        return meetings.none()
    return meetings.filter(readable_meetings_q(user))


def hide_drafts(context: dict) -> dict:
    """Leave out what is not settled until the minutes are approved: the draft text, decisions,
    attendance and the invitation list (for the public, the observer and invited guests)."""
    minutes = context.get("minutes")
    if minutes is None or not minutes.is_approved:
        context.update(minutes=None, decisions=[], attendance=[], amendments=[])
    context["invitations"] = []
    context["specialists"] = []  # outside specialists' names: the meeting's officers only
    return context


def archive_documents(documents, *, year: int | None = None, content_types=(), query: str = ""):
    """The archive's documents as its filter asks: created in ``year``, of one of
    ``content_types``, with the words of ``query`` in the title (each only when given)."""
    if year:
        documents = documents.filter(created_at__year=year)
    if content_types:
        documents = documents.filter(content_type__in=content_types)
    return archive_search(documents, query)


def meeting_years(council) -> list[int]:
    """The years in which the council has meetings, newest first; this year when it has none."""
    from django.utils import timezone

    years = [day.year for day in Meeting.objects.filter(council=council).dates("starts_at", "year", "DESC")]
    return years or [timezone.localdate().year]


def expected_memberships(meeting: Meeting) -> list:
    """Who a meeting expects, one row per person: the council (guests included) for a council
    meeting, the officers for an SKN meeting, anyone of the council for a task force."""
    from django.utils import timezone

    from councils.models import OFFICER_ROLES, Membership

    expected = Membership.objects.active(on=timezone.localdate(meeting.starts_at)).filter(
        council=meeting.council
    )
    if meeting.kind == Meeting.Kind.SKN:
        expected = expected.filter(role__in=OFFICER_ROLES)
    expected = expected.select_related("person", "institution").order_by(
        "institution__category", "person__full_name"
    )
    seen, memberships = set(), []
    for membership in expected:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            memberships.append(membership)
    return memberships
