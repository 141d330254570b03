"""Monitoring's writes: status updates (validation, the no-lost-update check, evidence, the
activity's lineage across plan revisions), indicator values (periods, corrections with their
revision), and the monthly report's workflow — above all, that an approved report never changes
when the data under it does. Today is 15 July 2026 (``clock`` in conftest.py)."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from monitoring import selectors, services
from monitoring.models import IndicatorValue, MonthlyReport, StatusUpdate
from monitoring.services import ReportLocked, UpdateConflict
from plans import approval
from plans import services as plan_services
from plans.models import Activity, Indicator, PlanVersion
from plans.services import RowConflict, row_revision

from .conftest import TODAY, approve, record

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def error_keys(refused) -> set[str]:
    return set(refused.value.error_dict)


# --- status updates ----------------------------------------------------------------------------------


def test_an_update_is_saved_on_the_activity_and_its_lineage(plan, people, elbasan):
    activity = plan.activities["date"]
    update = record(
        activity,
        people["skn_police"],
        "in_progress",
        40,
        date(2026, 7, 1),
        note="  Dy patrullime\x07 në javë. ",
    )
    saved = StatusUpdate.objects.get()
    assert saved == update
    assert (saved.council, saved.activity, saved.activity_lineage, saved.author) == (
        elbasan,
        activity,
        activity.lineage,
        people["skn_police"],
    )
    assert (saved.status, saved.progress, saved.date, saved.note) == (
        "in_progress",
        40,
        date(2026, 7, 1),
        "Dy patrullime në javë.",
    )
    assert not saved.evidence and saved.evidence_type == ""


@pytest.mark.parametrize("progress", [150, 101, -1, None])
def test_progress_is_a_percentage(progress, plan, people):
    with pytest.raises(ValidationError) as refused:
        record(plan.activities["date"], people["skn_police"], "in_progress", progress, TODAY)
    assert error_keys(refused) == {"progress"}
    assert not StatusUpdate.objects.exists()


def test_a_status_must_be_one_of_the_choices(plan, people):
    with pytest.raises(ValidationError) as refused:
        record(plan.activities["date"], people["skn_police"], "finished", 50, TODAY)
    assert error_keys(refused) == {"status"}


@pytest.mark.parametrize(
    "day",
    [date(2026, 7, 16), date(2027, 1, 1), date(2025, 12, 31), date(2020, 5, 5), None],
    ids=["tomorrow", "next-year", "before-the-plan-year", "long-before", "none"],
)
def test_the_date_is_in_the_plan_year_and_not_in_the_future(day, plan, people):
    with pytest.raises(ValidationError) as refused:
        record(plan.activities["date"], people["skn_police"], "in_progress", 10, day)
    assert error_keys(refused) == {"date"}
    assert not StatusUpdate.objects.exists()


def test_the_first_day_of_the_plan_year_and_today_are_accepted(plan, people):
    record(plan.activities["date"], people["skn_police"], "in_progress", 10, date(2026, 1, 1))
    record(plan.activities["date"], people["skn_police"], "in_progress", 20, TODAY)
    assert StatusUpdate.objects.count() == 2


def test_not_started_means_no_progress(plan, people):
    with pytest.raises(ValidationError) as refused:
        record(plan.activities["date"], people["skn_police"], "not_started", 5, TODAY)
    assert error_keys(refused) == {"progress"}
    record(plan.activities["date"], people["skn_police"], "not_started", 0, TODAY)
    assert StatusUpdate.objects.get().status == "not_started"


def test_done_below_100_needs_a_confirmation(plan, people):
    activity = plan.activities["date"]
    with pytest.raises(ValidationError) as refused:
        record(activity, people["skn_police"], "done", 30, TODAY)
    assert error_keys(refused) == {"confirm"}
    assert not StatusUpdate.objects.exists()
    record(activity, people["skn_police"], "done", 30, TODAY, confirm=True)
    record(activity, people["skn_police"], "done", 100, TODAY)  # 100 %: nothing to confirm
    assert list(StatusUpdate.objects.order_by("id").values_list("status", "progress")) == [
        ("done", 30),
        ("done", 100),
    ]


def test_only_an_approved_plan_is_monitored(elbasan, people):
    from .conftest import build_plan

    draft = build_plan(elbasan, people)
    with pytest.raises(ValidationError):
        record(draft.activities["date"], people["skn_police"], "in_progress", 10, TODAY)
    approval.version_submit(version=draft.version, user=people["skn_police"])
    with pytest.raises(ValidationError):
        record(draft.activities["date"], people["skn_police"], "in_progress", 10, TODAY)
    with pytest.raises(ValidationError):
        services.value_record(
            indicator=draft.indicators["patrols"],
            user=people["skn_police"],
            period="2026-Q1",
            value=Decimal(1),
        )
    assert not StatusUpdate.objects.exists() and not IndicatorValue.objects.exists()


# --- no lost update ----------------------------------------------------------------------------------


def test_an_update_made_meanwhile_is_a_conflict(plan, people):
    activity = plan.activities["date"]
    assert services.newest_update_id(activity) == 0
    first = record(activity, people["skn_police"], "in_progress", 20, TODAY, seen=0)
    assert services.newest_update_id(activity) == first.pk
    # A second author opened the form before the first update: they saw none.
    with pytest.raises(UpdateConflict) as refused:
        record(activity, people["skn_municipality"], "delayed", 10, TODAY, seen=0)
    assert refused.value.newest == first
    assert "Arben Hoxha" in refused.value.messages[0]
    assert list(StatusUpdate.objects.all()) == [first]
    # Having read it, they save after it.
    second = record(activity, people["skn_municipality"], "delayed", 10, TODAY, seen=first.pk)
    assert list(StatusUpdate.objects.order_by("id")) == [first, second]
    with pytest.raises(UpdateConflict):
        record(activity, people["skn_police"], "in_progress", 30, TODAY, seen=first.pk)
    assert StatusUpdate.objects.count() == 2


def test_without_seen_there_is_no_conflict_check(plan, people):
    activity = plan.activities["date"]
    record(activity, people["skn_police"], "in_progress", 20, TODAY)
    record(activity, people["skn_police"], "in_progress", 30, TODAY)
    assert StatusUpdate.objects.count() == 2


def test_a_seen_id_when_there_is_no_update_at_all_is_not_a_crash(plan, people):
    """A stale or tampered form names an update the activity does not have: there is nothing the
    author has not seen, so the update is recorded (it used to raise AttributeError: a 500)."""
    update = record(plan.activities["date"], people["skn_police"], "in_progress", 20, TODAY, seen=987654)
    assert list(StatusUpdate.objects.all()) == [update]


def test_the_conflict_is_per_activity(plan, people):
    other = record(plan.activities["h1"], people["skn_police"], "in_progress", 20, TODAY)
    assert services.newest_update_id(plan.activities["date"]) == 0
    record(plan.activities["date"], people["skn_police"], "in_progress", 20, TODAY, seen=0)
    assert services.newest_update_id(plan.activities["h1"]) == other.pk


# --- evidence ----------------------------------------------------------------------------------------


def test_a_pdf_is_accepted_as_evidence(plan, people):
    evidence = SimpleUploadedFile("procesverbal.pdf", PDF, content_type="application/pdf")
    update = record(
        plan.activities["date"], people["skn_police"], "in_progress", 50, TODAY, evidence=evidence
    )
    update.refresh_from_db()
    assert update.evidence_type == "application/pdf"
    assert update.evidence.name.startswith("monitoring/evidence/")
    with update.evidence.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [("shenime.txt", b"just some text\n"), ("shenime.pdf", b"<html><script>alert(1)</script></html>")],
    ids=["text", "html-named-pdf"],
)
def test_other_files_are_refused_as_evidence(name, content, plan, people):
    evidence = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        record(plan.activities["date"], people["skn_police"], "in_progress", 50, TODAY, evidence=evidence)
    assert error_keys(refused) == {"evidence"}
    assert not StatusUpdate.objects.exists()


# --- the lineage survives a revision -----------------------------------------------------------------


def test_updates_follow_the_activity_into_the_revised_version(plan, people, meeting, elbasan):
    old_activity = plan.activities["date"]
    old_update = record(old_activity, people["skn_police"], "in_progress", 40, date(2026, 6, 1))

    revision = plan_services.version_revise(version=plan.version, note="Pas takimit të korrikut")
    new_activity = Activity.objects.get(problem__version=revision, lineage=old_activity.lineage)
    with pytest.raises(ValidationError):  # still a draft
        record(new_activity, people["skn_police"], "in_progress", 50, TODAY)
    approve(revision, people, meeting)
    revision = PlanVersion.objects.get(pk=revision.pk)
    assert selectors.plan_in_force(elbasan, 2026) == revision

    # The old update shows on the board of the new version.
    standing = next(
        a for a in selectors.board(revision, TODAY).activities if a.pk == new_activity.pk
    ).standing
    assert (standing.status, standing.progress, standing.updated_on, standing.update_count) == (
        "in_progress",
        40,
        date(2026, 6, 1),
        1,
    )
    # The form on the new version saw the old update: no conflict.
    new_update = record(new_activity, people["skn_police"], "in_progress", 70, TODAY, seen=old_update.pk)
    assert new_update.activity == new_activity and old_update.activity == old_activity
    assert new_update.activity_lineage == old_update.activity_lineage == old_activity.lineage
    standing = next(
        a for a in selectors.board(revision, TODAY).activities if a.pk == new_activity.pk
    ).standing
    assert (standing.progress, standing.update_count) == (70, 2)
    # The old version's board reads the same lineage too.
    standing = next(
        a for a in selectors.board(plan.version, TODAY).activities if a.pk == old_activity.pk
    ).standing
    assert (standing.progress, standing.update_count) == (70, 2)


# --- indicator values --------------------------------------------------------------------------------


def test_a_value_is_recorded_for_a_period_and_corrected(plan, people, elbasan):
    indicator = plan.indicators["patrols"]  # quarterly
    value = services.value_record(
        indicator=indicator, user=people["skn_police"], period="2026-Q2", value=Decimal("5"), note=" Raport "
    )
    value.refresh_from_db()
    assert (value.council, value.indicator, value.indicator_lineage, value.period, value.period_end) == (
        elbasan,
        indicator,
        indicator.lineage,
        "2026-Q2",
        date(2026, 6, 30),
    )
    assert (value.value, value.note, value.author) == (Decimal("5"), "Raport", people["skn_police"])

    # A correction of the same period, from a form opened on that value, replaces it.
    revision = row_revision(value)
    corrected = services.value_record(
        indicator=indicator,
        user=people["skn_municipality"],
        period="2026-Q2",
        value=Decimal("6"),
        revision=revision,
    )
    assert corrected.pk == value.pk
    value.refresh_from_db()
    assert (value.value, value.author) == (Decimal("6"), people["skn_municipality"])
    assert IndicatorValue.objects.count() == 1
    assert [h.value for h in value.history.order_by("history_id")] == [Decimal("5"), Decimal("6")]

    # A form opened on the first value (its revision is now stale) is a conflict, and changes nothing.
    with pytest.raises(RowConflict) as refused:
        services.value_record(
            indicator=indicator,
            user=people["skn_police"],
            period="2026-Q2",
            value=Decimal("7"),
            revision=revision,
        )
    assert refused.value.current == row_revision(value)
    value.refresh_from_db()
    assert value.value == Decimal("6")
    # A form opened when there was no value yet ("" revision) meets one saved meanwhile.
    with pytest.raises(RowConflict):
        services.value_record(
            indicator=indicator, user=people["skn_police"], period="2026-Q2", value=Decimal("7"), revision=""
        )
    value.refresh_from_db()
    assert value.value == Decimal("6")


def test_a_revision_for_a_value_that_does_not_exist_is_a_conflict(plan, people):
    with pytest.raises(RowConflict):
        services.value_record(
            indicator=plan.indicators["patrols"],
            user=people["skn_police"],
            period="2026-Q1",
            value=Decimal("2"),
            revision="2026-07-01T10:00:00+00:00",
        )
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("indicator", "period"),
    [
        ("patrols", "2025-Q4"),  # another year
        ("patrols", "2026-03"),  # a month, for a quarterly indicator
        ("patrols", "2026-Q5"),
        ("patrols", ""),
        ("lessons", "2026-Q1"),  # a quarter, for a monthly indicator
        ("meetings", "2027"),
    ],
)
def test_the_period_is_one_of_the_plan_years_periods(indicator, period, plan, people):
    with pytest.raises(ValidationError) as refused:
        services.value_record(
            indicator=plan.indicators[indicator], user=people["skn_police"], period=period, value=Decimal("1")
        )
    assert error_keys(refused) == {"period"}
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("indicator", "period", "accepted"),
    [
        ("lessons", "2026-07", True),  # the current month has begun
        ("lessons", "2026-08", False),
        ("patrols", "2026-Q3", True),
        ("patrols", "2026-Q4", False),
        ("reach", "2026-H2", True),
        ("meetings", "2026", True),
    ],
)
def test_a_period_that_has_not_begun_is_refused(indicator, period, accepted, plan, people):
    def save():
        return services.value_record(
            indicator=plan.indicators[indicator], user=people["skn_police"], period=period, value=Decimal("1")
        )

    if accepted:
        assert save().period == period
    else:
        with pytest.raises(ValidationError) as refused:
            save()
        assert error_keys(refused) == {"period"}
        assert not IndicatorValue.objects.exists()


def test_a_value_is_needed(plan, people):
    with pytest.raises(ValidationError) as refused:
        services.value_record(
            indicator=plan.indicators["patrols"], user=people["skn_police"], period="2026-Q1", value=None
        )
    assert error_keys(refused) == {"value"}


def test_a_value_follows_its_indicator_into_the_revised_version(plan, people, meeting):
    services.value_record(
        indicator=plan.indicators["patrols"], user=people["skn_police"], period="2026-Q1", value=Decimal("3")
    )
    revision = plan_services.version_revise(version=plan.version)
    approve(revision, people, meeting)
    new_indicator = Indicator.objects.get(
        activity__problem__version=revision, lineage=plan.indicators["patrols"].lineage
    )
    value = IndicatorValue.objects.get()
    # Correcting it from the new version keeps one value per lineage and period, now on the new row.
    services.value_record(
        indicator=new_indicator,
        user=people["skn_police"],
        period="2026-Q1",
        value=Decimal("4"),
        revision=row_revision(value),
    )
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.value) == (new_indicator, Decimal("4"))


# --- monthly reports: the workflow -------------------------------------------------------------------


def test_a_report_needs_an_approved_plan_of_its_year(elbasan):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.report_start(council=elbasan, year=2026, month=7)
    assert error_keys(refused) == {"month"}
    assert "approve the plan first" in str(refused.value)
    assert not MonthlyReport.objects.filter(council=elbasan).exists()


def test_a_report_is_started_once_for_a_month_that_has_begun(elbasan, monitored):
    report = services.report_start(council=elbasan, year=2026, month=7)
    assert (report.status, report.year, report.month, report.content, report.sha256) == (
        "draft",
        2026,
        7,
        None,
        "",
    )
    with pytest.raises(ValidationError) as refused:
        services.report_start(council=elbasan, year=2026, month=7)
    assert error_keys(refused) == {"month"}
    for year, month in [(2026, 8), (2027, 1), (2026, 13), (2026, 0), (1999, 5)]:
        with pytest.raises(ValidationError) as refused:
            services.report_start(council=elbasan, year=year, month=month)
        assert error_keys(refused) == {"month"}
    assert MonthlyReport.objects.count() == 1
    assert services.report_start(council=elbasan, year=2026, month=1).month == 1


def _narrate(report, summary="Muaji kaloi pa incidente të mëdha."):
    return services.report_update(
        report=report, summary=summary, difficulties=" Mungesë stafi ", proposals=""
    )


@pytest.fixture
def draft_report(elbasan, monitored):
    return services.report_start(council=elbasan, year=2026, month=6)


def _at(status, report, people):
    """Bring the report to ``status`` through the services."""
    if status == "draft":
        return report
    _narrate(report)
    services.report_submit(report=report, user=people["skn_police"])
    if status == "returned":
        services.report_return(report=report, comment="Shtoni treguesit.")
    if status in ("approved", "published"):
        services.report_approve(report=report, user=people["chair"])
    if status == "published":
        services.report_publish(report=report)
    report = MonthlyReport.objects.get(pk=report.pk)
    assert report.status == status
    return report


STEPS = {
    "submit": lambda r, p: services.report_submit(report=r, user=p["skn_police"]),
    "return": lambda r, p: services.report_return(report=r, comment="Shtoni treguesit."),
    "approve": lambda r, p: services.report_approve(report=r, user=p["chair"]),
    "publish": lambda r, p: services.report_publish(report=r),
}
# (status before, step) -> status after, None: refused. Written out by hand from DESIGN.md.
WORKFLOW = {
    ("draft", "submit"): "submitted",
    ("draft", "return"): None,
    ("draft", "approve"): None,
    ("draft", "publish"): None,
    ("submitted", "submit"): None,
    ("submitted", "return"): "returned",
    ("submitted", "approve"): "approved",
    ("submitted", "publish"): None,
    ("returned", "submit"): "submitted",
    ("returned", "return"): None,
    ("returned", "approve"): None,
    ("returned", "publish"): None,
    ("approved", "submit"): None,
    ("approved", "return"): None,
    ("approved", "approve"): None,
    ("approved", "publish"): "published",
    ("published", "submit"): None,
    ("published", "return"): None,
    ("published", "approve"): None,
    ("published", "publish"): None,
}


@pytest.mark.parametrize(("status", "step"), list(WORKFLOW))
def test_the_report_workflow_table(status, step, draft_report, people):
    report = _at(status, draft_report, people)
    if status == "draft":
        _narrate(report)
    expected = WORKFLOW[(status, step)]
    if expected is None:
        with pytest.raises(ReportLocked):
            STEPS[step](report, people)
        assert MonthlyReport.objects.get(pk=report.pk).status == status
    else:
        STEPS[step](report, people)
        assert MonthlyReport.objects.get(pk=report.pk).status == expected


@pytest.mark.parametrize("status", ["draft", "returned", "submitted", "approved", "published"])
def test_only_a_draft_or_returned_report_is_written(status, draft_report, people):
    report = _at(status, draft_report, people)
    before = (report.summary, report.difficulties, report.proposals)
    if status in ("draft", "returned"):
        _narrate(report, summary=" Përmbledhje e re\x00 ")
        report.refresh_from_db()
        assert (report.summary, report.difficulties, report.proposals) == (
            "Përmbledhje e re",
            "Mungesë stafi",
            "",
        )
    else:
        with pytest.raises(ReportLocked):
            _narrate(report, summary="Tjetër")
        report.refresh_from_db()
        assert (report.summary, report.difficulties, report.proposals) == before


def test_writing_a_report_checks_the_revision(draft_report):
    stale = row_revision(draft_report)
    _narrate(draft_report, summary="E para")
    with pytest.raises(RowConflict):
        services.report_update(
            report=draft_report, summary="E dyta", difficulties="", proposals="", revision=stale
        )
    draft_report.refresh_from_db()
    assert draft_report.summary == "E para"
    services.report_update(
        report=draft_report,
        summary="E dyta",
        difficulties="",
        proposals="",
        revision=row_revision(draft_report),
    )
    draft_report.refresh_from_db()
    assert draft_report.summary == "E dyta"


def test_submitting_needs_a_summary(draft_report, people):
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=draft_report, user=people["skn_police"])
    assert error_keys(refused) == {"summary"}
    assert MonthlyReport.objects.get(pk=draft_report.pk).status == "draft"
    _narrate(draft_report)
    report = services.report_submit(report=draft_report, user=people["secretary"])
    report.refresh_from_db()
    assert (report.status, report.submitted_by) == ("submitted", people["secretary"])
    assert report.submitted_at is not None


def test_returning_needs_a_comment(draft_report, people):
    report = _at("submitted", draft_report, people)
    with pytest.raises(ValidationError) as refused:
        services.report_return(report=report, comment="  ")
    assert error_keys(refused) == {"comment"}
    assert MonthlyReport.objects.get(pk=report.pk).status == "submitted"
    services.report_return(report=report, comment=" Shtoni treguesit e qershorit. ")
    report.refresh_from_db()
    assert (report.status, report.returned_comment) == ("returned", "Shtoni treguesit e qershorit.")


def test_approval_freezes_content_pdf_and_checksum(draft_report, people, elbasan, monitored):
    report = _at("submitted", draft_report, people)
    services.report_approve(report=report, user=people["chair"])
    report = MonthlyReport.objects.get(pk=report.pk)
    assert report.status == "approved" and report.approved_by == people["chair"]
    assert report.approved_at is not None and report.published_at is None
    assert report.plan_version == monitored.version
    content = report.content
    assert (content["year"], content["month"], content["as_of"]) == (2026, 6, "2026-06-30")
    assert content["plan"] == {"id": monitored.version.pk, "year": 2026, "number": 1}
    assert content["narrative"] == {
        "summary": "Muaji kaloi pa incidente të mëdha.",
        "difficulties": "Mungesë stafi",
        "proposals": "",
    }
    assert content["approved_by"] == "Gazmend Oketa"
    assert content["approved_at"] == report.approved_at.isoformat()
    by_text = {a["text"]: (a["status"], a["progress"]) for a in content["activities"]}
    assert by_text["Orë edukative në shkolla"] == ("done", 100)
    with report.pdf.open("rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF-")
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.pdf.name.startswith("monitoring/reports/raport-elbasan-2026-06")


def test_publishing_sets_the_date(draft_report, people):
    report = _at("approved", draft_report, people)
    services.report_publish(report=report)
    report.refresh_from_db()
    assert report.status == "published" and report.published_at is not None
    assert report.is_published and report.is_frozen
    assert list(MonthlyReport.objects.public()) == [report]


def test_the_signed_copy_is_attached_once_and_only_to_a_frozen_report(draft_report, people):
    scan = SimpleUploadedFile("nenshkruar.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ReportLocked):
        services.report_attach_scan(report=draft_report, signed_scan=scan)
    report = _at("submitted", draft_report, people)
    with pytest.raises(ReportLocked):
        services.report_attach_scan(report=report, signed_scan=scan)
    assert not MonthlyReport.objects.get(pk=report.pk).signed_scan
    services.report_approve(report=report, user=people["chair"])
    services.report_attach_scan(report=report, signed_scan=scan)
    report.refresh_from_db()
    first = report.signed_scan.name
    assert first.startswith("monitoring/reports/signed/")
    with pytest.raises(ReportLocked):
        services.report_attach_scan(
            report=report, signed_scan=SimpleUploadedFile("tjeter.pdf", PDF, content_type="application/pdf")
        )
    report.refresh_from_db()
    assert report.signed_scan.name == first


def test_a_returned_report_goes_back_through_submission(draft_report, people):
    report = _at("returned", draft_report, people)
    _narrate(report, summary="Me treguesit e qershorit.")
    services.report_submit(report=report, user=people["skn_police"])
    services.report_approve(report=report, user=people["chair"])
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.content["narrative"]["summary"] == "Me treguesit e qershorit."


# --- the key promise: an approved report never changes ------------------------------------------------


def _live(content: dict) -> dict:
    return {
        key: value
        for key, value in content.items()
        if key not in ("narrative", "template", "approved_at", "approved_by")
    }


def test_later_updates_and_values_change_neither_the_approved_report_nor_its_pdf(
    draft_report, people, elbasan, monitored
):
    report = _at("approved", draft_report, people)
    frozen_content = report.content
    with report.pdf.open("rb") as stored:
        frozen_pdf = stored.read()
    frozen_sha = report.sha256
    live_before = selectors.report_data(elbasan, 2026, 6)
    assert live_before == _live(frozen_content)

    # After the approval: a June update (the overdue activity done on 20 June) and a corrected value
    # of the second quarter, and a new June value.
    patrols = Activity.objects.get(pk=monitored.activities["date"].pk)
    record(patrols, people["skn_police"], "done", 100, date(2026, 6, 20))
    value = IndicatorValue.objects.get(period="2026-Q2")
    services.value_record(
        indicator=monitored.indicators["patrols"],
        user=people["skn_police"],
        period="2026-Q2",
        value=Decimal("9"),
        revision=row_revision(value),
    )

    report = MonthlyReport.objects.get(pk=report.pk)
    assert report.content == frozen_content
    assert report.sha256 == frozen_sha
    with report.pdf.open("rb") as stored:
        assert stored.read() == frozen_pdf
    assert hashlib.sha256(frozen_pdf).hexdigest() == frozen_sha
    assert services.report_content(report) == frozen_content

    live = selectors.report_data(elbasan, 2026, 6)
    assert live != _live(frozen_content)
    frozen_row = next(a for a in frozen_content["activities"] if a["text"] == "Patrullime pranë shkollave")
    live_row = next(a for a in live["activities"] if a["text"] == "Patrullime pranë shkollave")
    assert (frozen_row["status"], frozen_row["progress"], frozen_row["missed"]) == (
        "in_progress",
        60,
        ["2026-05-31"],
    )
    assert (live_row["status"], live_row["progress"], live_row["missed"]) == ("done", 100, [])
    frozen_values = {(i["name"], i["period"]): i["value"] for i in frozen_content["indicators"]}
    live_values = {(i["name"], i["period"]): i["value"] for i in live["indicators"]}
    assert frozen_values[("Patrullime", "2026-Q2")] == "5"
    assert live_values[("Patrullime", "2026-Q2")] == "9"


def test_a_draft_report_shows_the_live_data(draft_report, people, elbasan, monitored):
    _narrate(draft_report)
    before = services.report_content(draft_report)
    record(
        Activity.objects.get(pk=monitored.activities["date"].pk),
        people["skn_police"],
        "done",
        100,
        date(2026, 6, 20),
    )
    after = services.report_content(MonthlyReport.objects.get(pk=draft_report.pk))
    assert before != after
    assert after["narrative"]["summary"] == "Muaji kaloi pa incidente të mëdha."
    assert (
        next(a for a in after["activities"] if a["text"] == "Patrullime pranë shkollave")["status"] == "done"
    )
