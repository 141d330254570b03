"""Monitoring at its public addresses (DESIGN.md "Public addresses", "Visibility"):

- ``/<municipality>/reports/``: the council's approved annual reports (kvsp/portal/annual_views.py)
  and its published monthly reports, newest first, by year;
- ``/<municipality>/reports/<year>/<month>/``: a published report, from the content frozen at its
  approval (a status update recorded later changes nothing), and beside it ``report.pdf`` (the
  file stored at approval, whose bytes hash to the SHA-256 shown) and ``signed.pdf`` (the signed
  and stamped paper copy, if any);
- ``/<municipality>/consultations/<id>/progress/``: where the plan stood on the consultation's
  day — the progress report the council gives citizens at each semi-annual consultation.

An approved report that is not published yet, a draft, a submitted or a returned report: 404, as
for a report that does not exist. No per-request token: each page reads in a fixed number of
queries, whatever the number of reports or activities. Status notes are working notes of the SKN:
the progress page shows statuses, progress and dates, never a note or its author.
"""

import logging
from datetime import date
from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from monitoring import selectors
from monitoring.annual.models import AnnualReport
from monitoring.files import stored_pdf
from monitoring.models import MonthlyReport
from monitoring.progress import month_label
from plans.models import PlanVersion

from .lookups import plan_version_path, public_consultation, public_council

logger = logging.getLogger(__name__)


def _published_report(slug: str, year: int, month: int) -> MonthlyReport:
    council = public_council(slug)
    report = get_object_or_404(MonthlyReport.objects.public().filter(council=council), year=year, month=month)
    report.council = council  # already read, with its municipality
    return report


@require_safe
def report_list(request, slug):
    """/<municipality>/reports/: the published monthly reports, newest first, grouped by year."""
    council = public_council(slug)
    reports = list(
        MonthlyReport.objects.public()
        .filter(council=council)
        .only("id", "council_id", "year", "month", "status", "approved_at", "published_at", "signed_scan")
        .order_by("-year", "-month")
    )
    for report in reports:
        report.month_name = month_label(report.year, report.month)
    years = [(year, list(items)) for year, items in groupby(reports, key=lambda report: report.year)]
    # The approved annual reports (monitoring/annual), at /<municipality>/reports/<year>/.
    annual = list(
        AnnualReport.objects.public()
        .filter(council=council)
        .order_by("-year")
        .only("id", "year", "approved_at")
    )
    return render(request, "portal/report_list.html", {"council": council, "years": years, "annual": annual})


@require_safe
def report_detail(request, slug, year, month):
    """/<municipality>/reports/<year>/<month>/: a published report, as frozen at its approval."""
    report = _published_report(slug, year, month)
    content = report.content
    return render(
        request,
        "portal/report_detail.html",
        {
            "council": report.council,
            "report": report,
            "content": content,
            "sections": selectors.report_sections(content),
            "month_name": month_label(report.year, report.month),
        },
    )


@require_safe
def report_pdf(request, slug, year, month):
    """The PDF stored at approval, never rendered again: its bytes hash to the published SHA-256."""
    report = _published_report(slug, year, month)
    if not report.pdf:
        raise Http404
    response = stored_pdf(report.pdf, filename=f"raporti-{slug}-{year}-{month:02d}.pdf", as_attachment=False)
    response["ETag"] = f'"{report.sha256}"'
    return response


@require_safe
def report_signed(request, slug, year, month):
    """The signed and stamped paper copy, if one was attached: an upload, so an attachment."""
    report = _published_report(slug, year, month)
    if not report.signed_scan:
        raise Http404
    return stored_pdf(
        report.signed_scan, filename=f"raporti-{slug}-{year}-{month:02d}-nenshkruar.pdf", as_attachment=True
    )


# --- a consultation's progress report ------------------------------------------------------------


def progress_version(council, as_of: date) -> PlanVersion | None:
    """The plan a consultation on ``as_of`` reports on: the year's plan in force that day (from its
    council decision's date), else the previous year's."""
    for year in (as_of.year, as_of.year - 1):
        version = selectors.plan_in_force(council, year, as_of)
        if version is not None:
            return version
    return None


@require_safe
def consultation_progress(request, slug, pk):
    """/<municipality>/consultations/<id>/progress/: the plan's progress as of the consultation's
    day (today, for one still ahead): totals, the chart by priority, each row's activities with
    status, progress, last update and whether overdue, and each indicator's latest value."""
    consultation = public_consultation(slug, pk)
    council = consultation.council
    as_of = min(timezone.localdate(consultation.starts_at), timezone.localdate())
    version = progress_version(council, as_of)
    context = {"council": council, "consultation": consultation, "as_of": as_of, "version": version}
    if version is not None:
        board = selectors.board(version, as_of)
        for problem in board.problems:
            problem.has_indicators = any(a.indicators.all() for a in problem.activities.all())
        totals = board.totals()
        context.update(
            board=board,
            totals=totals,
            done=dict(totals["counts"]).get("done", 0),
            plan_url=plan_version_path(version),
        )
    return render(request, "portal/consultation_progress.html", context)
