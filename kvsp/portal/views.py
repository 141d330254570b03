"""Public pages that combine several apps. No per-request token: they can be cached."""

from itertools import groupby

from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from councils import selectors
from councils.meetings.calendar import meetings_ics
from councils.meetings.models import Document, Meeting
from councils.meetings.selectors import hide_drafts, minutes_context
from councils.meetings.views import document_response
from councils.models import Council
from kvsp.core.text import fold


class HomeView(TemplateView):
    """The portal: the 61 councils by county, with a search that ignores diacritics."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        councils = list(Council.objects.public().order_by("municipality__county__name", "municipality__name"))
        if query:
            # 61 rows: matching in Python is simpler than per-database accent folding, and as fast.
            wanted = fold(query)
            councils = [
                c
                for c in councils
                if wanted in fold(c.municipality.name) or wanted in fold(c.municipality.county.name)
            ]
        context["query"] = query
        context["count"] = len(councils)
        context["counties"] = [
            (county, list(items)) for county, items in groupby(councils, key=lambda c: c.municipality.county)
        ]
        return context


def _public_council(slug: str) -> Council:
    return get_object_or_404(Council.objects.public(), municipality__slug=slug)


class CouncilPublicView(TemplateView):
    """/<municipality>/: the council's status and composition by institution, without contacts."""

    template_name = "portal/council_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = _public_council(self.kwargs["slug"])
        seats, memberships = selectors.composition(council, public=True)
        context["council"] = council
        context["seats"] = seats
        context["officers"] = selectors.officers(memberships)
        context["meetings"] = Meeting.objects.public().filter(council=council).order_by("-starts_at")[:20]
        return context


class MeetingPublicView(TemplateView):
    """/<municipality>/meetings/<id>/: a public council meeting, with its minutes once approved."""

    template_name = "portal/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = _public_council(self.kwargs["slug"])
        meeting = get_object_or_404(Meeting.objects.public().filter(council=council), pk=self.kwargs["pk"])
        context.update(minutes_context(meeting))
        context["council"] = council
        context["documents"] = [d for d in context["documents"] if d.visibility == Document.Visibility.PUBLIC]
        hide_drafts(context)  # minutes, decisions and attendance appear once the chair approves
        if meeting.agenda_status != Meeting.AgendaStatus.AGREED:
            context["agenda"] = []  # the agenda is public once the SKN has agreed it
        return context


@require_safe
def document_download(request, slug, pk):
    """/<municipality>/documents/<id>/: a document the council marked public."""
    council = _public_council(slug)
    public_meeting = Q(meeting__isnull=True) | Q(
        meeting__kind__in=Meeting.PUBLIC_KINDS, meeting__restricted=False
    )
    document = get_object_or_404(
        Document.objects.filter(public_meeting, council=council, visibility=Document.Visibility.PUBLIC), pk=pk
    )
    return document_response(document)


@require_safe
def meetings_calendar(request, slug):
    """/<municipality>/meetings.ics: the council's public meetings for any calendar program."""
    council = _public_council(slug)
    meetings = Meeting.objects.public().filter(council=council).select_related("council__municipality")
    body = meetings_ics(meetings, name=f"KVSP {council}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="kvsp-{council.slug}.ics"'
    return response


@require_safe
def regulation_download(request, slug):
    """The council's regulation, a public act, served as an attachment."""
    council = _public_council(slug)
    if not council.regulation_document:
        raise Http404
    try:
        handle = council.regulation_document.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"rregullorja-kvsp-{council.slug}.pdf",
        content_type="application/pdf",
    )
