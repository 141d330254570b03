"""The annual reports the authorization matrix's addresses point at (rows_annual.py), in each
council: {draft_annual} (this year, not over: its summary written), {submitted_annual} (last year,
submitted to the chair) and {approved_annual} (the year before, approved and so published). They
are addressed by year: ANNUAL_YEARS."""

from django.utils import timezone

ANNUAL_YEARS = {
    "draft_annual": timezone.localdate().year,
    "submitted_annual": timezone.localdate().year - 1,
    "approved_annual": timezone.localdate().year - 2,
}


def annual_reports(the_council, skn) -> None:
    from monitoring.annual import services

    reports = {}
    for name, year in ANNUAL_YEARS.items():
        report = services.annual_start(council=the_council, year=year, user=skn)
        reports[name] = services.annual_update(report=report, texts={"summary": "Përmbledhja e vitit."})
    for name in ("submitted_annual", "approved_annual"):
        reports[name] = services.annual_submit(report=reports[name], user=skn)
    report = reports["approved_annual"]
    services.annual_approve(
        report=report, user=skn, seen=services.content_stamp(services.annual_content(report))
    )
