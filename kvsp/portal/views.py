"""Public pages that combine several apps. No per-request token: they can be cached."""

import logging
from itertools import groupby

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView

from consultations import lifecycle as consultation_lifecycle
from consultations import selectors as consultation_selectors
from consultations import services as consultation_services
from consultations.calendar import consultation_event
from consultations.forms import ConcernForm, LookupForm
from consultations.models import Concern, Consultation
from councils import selectors
from councils.meetings.calendar import meetings_ics
from councils.meetings.documents import document_response
from councils.meetings.models import Document, Meeting
from councils.meetings.selectors import hide_drafts, minutes_context
from councils.models import Council
from kvsp.core.forms import apply_errors
from kvsp.core.pdf import render_pdf
from kvsp.core.ratelimit import client_address, limit_posts, refused_for
from kvsp.core.text import fold
from monitoring import compliance_data
from monitoring import selectors as monitoring_selectors
from monitoring.annual.models import AnnualReport
from monitoring.models import ActivityStatus, MonthlyReport
from monitoring.progress import month_label
from plans import comments as plan_comments
from plans import selectors as plan_selectors
from plans.comment_models import PlanComment

from . import exports
from .compliance_links import public_record_rows
from .compliance_tables import summary as compliance_summary
from .lookups import plan_version_path, public_consultation, public_council
from .where import where_problems

logger = logging.getLogger(__name__)


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
        summary = compliance_summary()
        for council in councils:
            council.score = summary["scores"].get(council.pk)
        context["compliance"] = summary
        context["query"] = query
        context["count"] = len(councils)
        context["counties"] = [
            (county, list(items)) for county, items in groupby(councils, key=lambda c: c.municipality.county)
        ]
        return context


class CouncilPublicView(TemplateView):
    """/<municipality>/: the council's status and composition by institution, without contacts."""

    template_name = "portal/council_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = public_council(self.kwargs["slug"])
        seats, memberships = selectors.composition(council, public=True)
        context["council"] = council
        context["seats"] = seats
        context["officers"] = selectors.officers(memberships)
        context["meetings"] = Meeting.objects.public().filter(council=council).order_by("-starts_at")[:20]
        context["consultations"] = (
            Consultation.objects.public().filter(council=council).order_by("-starts_at")[:10]
        )
        plan_year = plan_selectors.newest_published_year(council.slug)
        context["plan_url"] = (
            reverse("portal:plan-year", args=[council.slug, plan_year]) if plan_year else None
        )
        context["plan_year"] = plan_year
        # A draft plan open for public comment: a notice with its address (plans/comments.py).
        context["comment_periods"] = plan_comments.open_periods(council)
        context["where"] = where_problems(council)
        newest_report = (
            MonthlyReport.objects.public()
            .filter(council=council)
            .only("id", "council_id", "year", "month")
            .order_by("-year", "-month")
            .first()
        )
        if newest_report is not None:
            newest_report.month_name = month_label(newest_report.year, newest_report.month)
        context["newest_report"] = newest_report
        context["newest_annual"] = (
            AnnualReport.objects.public().filter(council=council).only("id", "year").order_by("-year").first()
        )
        # From the national overview's cache (the same records, read once for every council).
        year = compliance_data.today().year
        _councils, records, _first = compliance_data.national_records(year)
        trend = [records[council.pk][y] for y in sorted(records[council.pk], reverse=True)]
        context["compliance"] = {
            "record": trend[0],
            "trend": trend,
            "rows": public_record_rows(trend[0], council.slug),
        }
        return context


class MeetingPublicView(TemplateView):
    """/<municipality>/meetings/<id>/: a public council meeting, with its minutes once approved."""

    template_name = "portal/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = public_council(self.kwargs["slug"])
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
    council = public_council(slug)
    public_meeting = Q(meeting__isnull=True) | Q(
        meeting__kind__in=Meeting.PUBLIC_KINDS, meeting__restricted=False
    )
    document = get_object_or_404(
        Document.objects.filter(public_meeting, council=council, visibility=Document.Visibility.PUBLIC), pk=pk
    )
    return document_response(document)


@require_safe
def meetings_calendar(request, slug):
    """/<municipality>/meetings.ics: the council's public meetings and its public open consultations
    (announced, held, or cancelled after their announcement) for any calendar program."""
    council = public_council(slug)
    meetings = Meeting.objects.public().filter(council=council).select_related("council__municipality")
    stamp = timezone.now()
    consultations = [
        consultation_event(
            consultation,
            stamp,
            url=request.build_absolute_uri(reverse("portal:consultation", args=[slug, consultation.pk])),
        )
        for consultation in Consultation.objects.public()
        .filter(council=council)
        .select_related("council__municipality")
        .order_by("starts_at", "pk")
    ]
    body = meetings_ics(meetings, name=f"KVSP {council}", events=consultations)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="kvsp-{council.slug}.ics"'
    return response


@require_safe
def regulation_download(request, slug):
    """The council's regulation, a public act, served as an attachment."""
    council = public_council(slug)
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


# --- consultations and citizens' concerns ----------------------------------------------------


class ConsultationListView(TemplateView):
    """/<municipality>/consultations/: the announced and held consultations, newest first."""

    template_name = "portal/consultation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = public_council(self.kwargs["slug"])
        context["council"] = council
        context["consultations"] = (
            Consultation.objects.public()
            .filter(council=council)
            .select_related("unit")
            .order_by("-starts_at")
        )
        return context


class ConsultationPublicView(TemplateView):
    """/<municipality>/consultations/<id>/: the announcement, then "what we heard / what we did"."""

    template_name = "portal/consultation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = public_consultation(self.kwargs["slug"], self.kwargs["pk"])
        meeting = consultation.follow_up_meeting
        context["council"] = consultation.council
        context["consultation"] = consultation
        context["co_leads"] = list(consultation.co_leads.all())
        context["follow_up"] = meeting if meeting is not None and meeting.is_public else None
        heard = consultation_selectors.heard(consultation, published_only=True)
        # What we did: the plan row each problem taken into the plan became (newest approved).
        rows = plan_selectors.plan_rows_from_consultation(
            consultation.council, (problem.pk for problem in heard.problems)
        )
        # ... and where its activities stand today (a fixed number of queries for all the rows).
        progress = monitoring_selectors.row_progress(list(rows.values()))
        for problem in heard.problems:
            row = rows.get(problem.pk)
            problem.plan_row = row
            problem.plan_row_url = f"{plan_version_path(row.version)}#row-{row.lineage}" if row else ""
            group = progress.get(row.pk) if row else None
            problem.plan_progress = (
                {
                    "total": group["total"],
                    "done": dict(group["counts"]).get(ActivityStatus.DONE, 0),
                    "progress": group["progress"],
                    "overdue": group["overdue"],
                }
                if group
                else None
            )
        context["heard"] = heard
        context["in_plan"] = [problem for problem in heard.problems if problem.plan_row]
        context["turnout"] = consultation_selectors.turnout(consultation)
        context["skn_present"] = list(consultation.skn_present.order_by("full_name").only("full_name"))
        return context


@require_safe
def consultation_concerns_csv(request, slug, pk):
    consultation = public_consultation(slug, pk)
    response = HttpResponse(exports.concerns_csv(consultation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="konsultimi-{slug}-{pk}.csv"'
    return response


@require_safe
def consultation_concerns_json(request, slug, pk):
    consultation = public_consultation(slug, pk)
    return HttpResponse(exports.concerns_json(consultation), content_type="application/json; charset=utf-8")


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("concern", "CONCERN_RATE_LIMIT", "CONCERN_RATE_WINDOW")
def concern_create(request, slug):
    """/<municipality>/concerns/new/: a citizen raises a concern, without an account."""
    council = public_council(slug)
    form = ConcernForm(
        request.POST or None,
        request.FILES or None,
        council=council,
        similar_url=reverse("portal:concern-similar", args=[council.slug]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            concern = consultation_services.concern_submit(council=council, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your concern was received."))
            return HttpResponseRedirect(reverse("portal:concern", args=[council.slug, concern.code]))
    return render(
        request,
        "portal/concern_form.html",
        {
            "council": council,
            "form": form,
            "open_consultation": consultation_lifecycle.open_consultation(council),
            "retention_months": settings.CONCERN_RETENTION_MONTHS,
        },
    )


@require_safe
def concern_lookup(request, slug):
    """/<municipality>/concerns/?code=...: follow a concern by its reference code."""
    council = public_council(slug)
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = consultation_services.normalise_code(form.cleaned_data["code"])
        # Guessing codes is slowed per address and per code; over the limit, the same page with a
        # message (429) and no look-up.
        window = refused_for(
            "concern-lookup",
            [
                ("address", client_address(request), settings.CONCERN_LOOKUP_RATE_LIMIT_ADDRESS),
                (
                    "code",
                    f"{council.pk}:{code or form.cleaned_data['code']}",
                    settings.CONCERN_LOOKUP_RATE_LIMIT_CODE,
                ),
            ],
            settings.CONCERN_LOOKUP_RATE_WINDOW,
        )
        if window is not None:
            minutes = max(1, window // 60)
            message = ngettext(
                "Too many look-ups from your connection or for this code. Please wait %(minutes)d minute "
                "and try again.",
                "Too many look-ups from your connection or for this code. Please wait %(minutes)d minutes "
                "and try again.",
                minutes,
            )
            form.add_error("code", message % {"minutes": minutes})
            response = render(
                request, "portal/concern_lookup.html", {"council": council, "form": form}, status=429
            )
            response["Retry-After"] = str(window)
            return response
        if code and Concern.objects.filter(council=council, code=code).exists():
            return HttpResponseRedirect(reverse("portal:concern", args=[council.slug, code]))
        if code and PlanComment.objects.filter(council=council, code=code).exists():
            # A comment on the draft plan has a code of the same kind: one box follows both.
            return HttpResponseRedirect(reverse("portal:plan-comment", args=[council.slug, code]))
        form.add_error("code", _("No concern of this council has this code. Check it and try again."))
    return render(request, "portal/concern_lookup.html", {"council": council, "form": form})


class ConcernStatusView(TemplateView):
    """/<municipality>/concerns/<code>/: what became of a concern, and nothing private."""

    template_name = "portal/concern_status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = public_council(self.kwargs["slug"])
        code = consultation_services.normalise_code(self.kwargs["code"])
        concern = get_object_or_404(
            Concern.objects.filter(council=council).select_related(
                "unit", "consultation", "problem", "merged_into__problem"
            ),
            code=code or "",
        )
        followed = concern.followed
        visible = followed.status == Concern.Status.PUBLISHED
        context.update(
            council=council,
            concern=concern,
            problem=followed.problem if visible else None,
            consultation=concern.consultation
            if concern.consultation and concern.consultation.is_public
            else None,
        )
        return context


def _qr_svg(url: str) -> str:
    """A QR code as inline SVG markup (WeasyPrint draws it; nothing is fetched)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#000", light="#fff")


@require_safe
def concern_form_pdf(request, slug):
    """/<municipality>/concerns/form.pdf: an A4 form to print for a village meeting, with a QR code
    to the online form. Rendered once per council and language, then served from the cache."""
    council = public_council(slug)
    language = get_language()
    key = f"kvsp:concern-form-pdf:{council.pk}:{language}"
    try:
        pdf = cache.get(key)
    except Exception:  # a cache outage: render it, don't fail
        logger.warning("concern form PDF: the cache is not answering")
        pdf = None
    if pdf is None:
        online = settings.SITE_URL + reverse("portal:concern-create", args=[council.slug])
        pdf = render_pdf(
            "consultations/concern_form_pdf.html",
            {
                "council": council,
                "online": online,
                "qr": _qr_svg(online),
                "categories": Concern.Category.choices,
                "units": list(council.municipality.units.order_by("name").values_list("name", flat=True)),
                "retention_months": settings.CONCERN_RETENTION_MONTHS,
            },
        )
        try:
            cache.set(key, pdf, timeout=60 * 60 * 24)
        except Exception:
            logger.warning("concern form PDF: not cached, the cache is not answering")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="formulari-shqetesimit-{council.slug}.pdf"'
    return response
