"""What the Atom feeds list (kvsp/portal/feed_views.py): the newest public items of one council, or
of every council, as entries with a stable id.

Only what DESIGN.md "Visibility" makes public: announced (or held, or cancelled after their
announcement) open consultations; approved plan versions (an approved version is published at once);
submitted versions the SKN opened for public comment (kind "comment_period": the announcement, with
the address of the draft under comment; plans/comments.py); published monthly reports; council
meetings not marked restricted, and their minutes once approved. Never a draft or submitted version
not opened for comment, a citizen's comment on the plan, an approved report the chair has not
published, a restricted council meeting, an SKN or task-force meeting, draft minutes, or anything
of a citizen's concern.

Each kind is read in one query, the newest ``LIMIT`` by their last change, so a feed costs the same
seven queries (six, for the whole country) whatever the number of items.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from consultations.models import Consultation
from councils.meetings.models import Meeting, Minutes
from councils.models import Council
from monitoring.models import MonthlyReport
from monitoring.progress import month_label
from plans.models import CommentPeriod, PlanVersion

from .lookups import plan_version_path

# Entries in a feed: the newest, by their last change.
LIMIT = 50
# The year in the entries' tag: URIs (RFC 4151). Part of every id: never change it.
TAG_YEAR = 2026


@dataclass(frozen=True)
class Entry:
    """One item of a feed: ``uid`` never changes, ``updated`` moves when the item changes."""

    uid: str
    kind: str
    title: str
    path: str
    published: datetime
    updated: datetime
    summary: str


def tag_uri(name: str) -> str:
    """A stable id (RFC 4151) under the platform's own domain: ``tag:<host>,2026:<name>``."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_YEAR}:{name}"


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"


def _named(title: str, council: Council, national: bool) -> str:
    """On the national feed each title starts with its council."""
    return f"{council}: {title}" if national else title


def _of(queryset: QuerySet, council: Council | None, path: str = "council") -> QuerySet:
    if council is None:
        return queryset.select_related(f"{path}__municipality")
    return queryset.filter(**{path: council})


def _consultations(council: Council | None, national: bool) -> list[Entry]:
    entries = []
    for item in _of(Consultation.objects.public(), council).order_by("-updated_at", "-pk")[:LIMIT]:
        the_council = council or item.council
        what = _("Open consultation on %(when)s: %(place)s") % {
            "when": _when(item.starts_at),
            "place": item.place,
        }
        if item.status == Consultation.Status.CANCELLED:
            what = _("Cancelled: %(consultation)s") % {"consultation": what}
        summary = format_html("<p>{}</p><p>{}</p>", item.title or what, capfirst(item.get_status_display()))
        entries.append(
            Entry(
                uid=tag_uri(f"consultation-{item.pk}"),
                kind="consultation",
                title=_named(what, the_council, national),
                path=reverse("portal:consultation", args=[the_council.slug, item.pk]),
                published=item.announced_at or item.created_at,
                updated=item.updated_at,
                summary=summary,
            )
        )
    return entries


def _plans(council: Council | None, national: bool) -> list[Entry]:
    versions = _of(PlanVersion.objects.published(), council, "plan__council").select_related(
        "plan__council__municipality"
    )
    entries = []
    for version in versions.order_by("-approved_at", "-pk")[:LIMIT]:
        plan = version.plan
        title = _("The plan for %(year)s was approved and published (version %(number)s)") % {
            "year": plan.year,
            "number": version.number,
        }
        approved = version.approved_at or version.updated_at
        summary = (
            format_html("<p>{}</p>", version.title) if version.title else format_html("<p>{}</p>", title)
        )
        entries.append(
            Entry(
                uid=tag_uri(f"plan-version-{version.pk}"),
                kind="plan",
                title=_named(title, plan.council, national),
                path=plan_version_path(version),
                published=approved,
                updated=approved,
                summary=summary,
            )
        )
    return entries


def _comment_periods(council: Council | None, national: bool) -> list[Entry]:
    """Each opening of a submitted version for public comment: announced once, at its opening."""
    periods = _of(CommentPeriod.objects.all(), council, "version__plan__council").select_related(
        "version__plan__council__municipality"
    )
    entries = []
    for period in periods.order_by("-opens_at", "-pk")[:LIMIT]:
        version = period.version
        plan = version.plan
        title = _("The draft plan for %(year)s is open for public comment until %(date)s") % {
            "year": plan.year,
            "date": f"{period.closes_on:%d.%m.%Y}",
        }
        entries.append(
            Entry(
                uid=tag_uri(f"comment-period-{period.pk}"),
                kind="comment_period",
                title=_named(title, plan.council, national),
                path=reverse("portal:plan-comment-page", args=[plan.council.slug, plan.year, version.number]),
                published=period.opens_at,
                updated=period.opens_at,
                summary=format_html("<p>{}</p>", title),
            )
        )
    return entries


def _reports(council: Council | None, national: bool) -> list[Entry]:
    reports = _of(MonthlyReport.objects.public(), council).defer("content")
    entries = []
    for report in reports.order_by("-updated_at", "-pk")[:LIMIT]:
        the_council = council or report.council
        title = _("Monthly monitoring report published: %(month)s") % {
            "month": month_label(report.year, report.month)
        }
        entries.append(
            Entry(
                uid=tag_uri(f"report-{report.pk}"),
                kind="report",
                title=_named(title, the_council, national),
                path=reverse("portal:report", args=[the_council.slug, report.year, report.month]),
                published=report.published_at or report.updated_at,
                updated=report.updated_at,
                summary=format_html("<p>{}</p>", Truncator(report.summary).chars(500) or title),
            )
        )
    return entries


def _meeting_title(meeting: Meeting) -> str:
    title = _("%(kind)s on %(date)s, %(place)s") % {
        "kind": capfirst(meeting.get_kind_display()),
        "date": _when(meeting.starts_at),
        "place": meeting.place,
    }
    if meeting.status == Meeting.Status.CANCELLED:
        title = _("Cancelled: %(meeting)s") % {"meeting": title}
    return title


def _meetings(council: Council | None, national: bool) -> list[Entry]:
    entries = []
    for meeting in _of(Meeting.objects.public(), council).order_by("-updated_at", "-pk")[:LIMIT]:
        the_council = council or meeting.council
        title = _meeting_title(meeting)
        entries.append(
            Entry(
                uid=tag_uri(f"meeting-{meeting.pk}"),
                kind="meeting",
                title=_named(title, the_council, national),
                path=reverse("portal:meeting", args=[the_council.slug, meeting.pk]),
                published=meeting.created_at,
                updated=meeting.updated_at,
                summary=format_html(
                    "<p>{}</p><p>{}</p>", meeting.title or title, capfirst(meeting.get_status_display())
                ),
            )
        )
    return entries


def _minutes(council: Council | None, national: bool) -> list[Entry]:
    approved = Minutes.objects.filter(
        status=Minutes.Status.APPROVED, meeting__kind__in=Meeting.PUBLIC_KINDS, meeting__restricted=False
    ).select_related("meeting")
    minutes = _of(approved, council, "meeting__council").defer("source", "body")
    entries = []
    for item in minutes.order_by("-approved_at", "-pk")[:LIMIT]:
        meeting = item.meeting
        the_council = council or meeting.council
        title = _("Minutes approved: %(meeting)s") % {"meeting": _meeting_title(meeting)}
        approved = item.approved_at or item.updated_at
        entries.append(
            Entry(
                uid=tag_uri(f"minutes-{item.pk}"),
                kind="minutes",
                title=_named(title, the_council, national),
                path=reverse("portal:meeting", args=[the_council.slug, meeting.pk]),
                published=approved,
                updated=approved,
                summary=format_html("<p>{}</p>", title),
            )
        )
    return entries


def public_entries(council: Council | None = None) -> list[Entry]:
    """The newest ``LIMIT`` public items of ``council`` (of every council when None), newest first."""
    national = council is None
    entries = [
        *_consultations(council, national),
        *_plans(council, national),
        *_comment_periods(council, national),
        *_reports(council, national),
        *_meetings(council, national),
        *_minutes(council, national),
    ]
    entries.sort(key=lambda entry: (entry.updated, entry.uid), reverse=True)
    return entries[:LIMIT]
