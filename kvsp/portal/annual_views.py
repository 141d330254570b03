"""The council's approved annual reports at their public addresses (issue 24, item 1):

- ``/<municipality>/reports/<year>/``: the report as frozen at its approval, with its SHA-256;
- ``/<municipality>/reports/<year>/annual.pdf``: the PDF stored at approval, whose bytes hash to it.

A report not approved (a draft, submitted or returned) is a 404, as one that does not exist. Each
page reads in a fixed number of queries, whatever the report holds.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from monitoring.annual import display
from monitoring.annual.models import AnnualReport
from monitoring.files import stored_pdf

from .lookups import public_council


def _approved(slug: str, year: int) -> AnnualReport:
    council = public_council(slug)
    report = get_object_or_404(AnnualReport.objects.public().filter(council=council), year=year)
    report.council = council  # already read, with its municipality
    return report


@require_safe
def annual_report(request, slug, year):
    """/<municipality>/reports/<year>/: an approved annual report, as frozen at its approval."""
    report = _approved(slug, year)
    return render(
        request,
        "portal/annual_report.html",
        {
            "council": report.council,
            "report": report,
            "content": report.content,
            "view": display.view(report.content),
        },
    )


@require_safe
def annual_report_pdf(request, slug, year):
    """The PDF stored at approval, never rendered again: its bytes hash to the published SHA-256."""
    report = _approved(slug, year)
    if not report.pdf:
        raise Http404
    response = stored_pdf(report.pdf, filename=f"raporti-vjetor-{slug}-{year}.pdf", as_attachment=False)
    response["ETag"] = f'"{report.sha256}"'
    return response
