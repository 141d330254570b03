"""What the review of the plans change found, each with the test that would have caught it."""

import logging
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from plans import services
from plans.models import PlanProblem
from tests.plans import test_import, test_services
from tests.plans.test_services import YEAR, approve

elbasan = test_services.elbasan
officers = test_services.officers
meeting = test_services.meeting
draft = test_services.draft
approved = test_services.approved
people = test_import.people


def test_pasted_control_characters_are_removed_and_every_file_still_opens(client, draft, officers, meeting):
    row = draft.problems.first()
    services.problem_update(problem=row, title="Droga\x0b te të rinjtë\x07")
    row.refresh_from_db()
    assert row.title == "Droga te të rinjtë"
    # One already stored (from before this fix, or written around the services) still exports.
    PlanProblem.objects.filter(pk=row.pk).update(statistics="63\x0b raste")
    approve(draft, officers, meeting)
    for kind in ("docx", "csv", "json"):
        assert client.get(f"/elbasan/plan/{YEAR}/v1/plan.{kind}").status_code == 200, kind
    client.force_login(officers["skn"])
    assert client.get(f"/app/elbasan/plans/{YEAR}/v1/plan.xlsx").status_code == 200


def test_an_approval_survives_a_broker_outage(
    draft, officers, meeting, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from plans import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.render_plan_files_task, "delay", broker_down)
    caplog.set_level(logging.ERROR)
    with django_capture_on_commit_callbacks(execute=True):
        version = approve(draft, officers, meeting)  # no exception reaches the chair
    version.refresh_from_db()
    assert version.status == "approved"
    assert any("redis down" in str(record.exc_info) for record in caplog.records)


def test_approval_needs_a_public_meeting_that_took_place_before_the_decision(draft, officers, elbasan):
    services.version_submit(version=draft, user=officers["skn"])

    def attempt(meeting, decided=None):
        with pytest.raises(ValidationError) as error:
            services.version_approve(
                version=draft,
                user=officers["chair"],
                meeting=meeting,
                decision_number="3",
                decision_date=decided or timezone.localdate(),
            )
        return error.value.error_dict

    future = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() + timedelta(days=5), place="Salla"
    )
    restricted = meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() - timedelta(days=2),
        place="X",
        restricted=True,
    )
    held = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(days=2), place="Salla"
    )
    assert "meeting" in attempt(future)
    assert "meeting" in attempt(restricted)
    assert "decision_date" in attempt(held, timezone.localdate() - timedelta(days=10))
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_only_the_newest_approved_version_is_revised(approved, officers, meeting):
    second = services.version_revise(version=approved)
    approve(second, officers, meeting)
    with pytest.raises(ValidationError):
        services.version_revise(version=approved)
    assert approved.plan.versions.count() == 2
    assert services.version_revise(version=second).number == 3


def test_a_pulled_problem_s_provenance_is_written_in_albanian(elbasan, officers, draft):
    consultation = consultation_services.consultation_create(
        council=elbasan, starts_at=timezone.now() - timedelta(days=3), place="Shushicë"
    )
    problem = consultation_services.problem_create(consultation=consultation, title="Dhuna në familje")
    problem = consultation_services.problem_assess(
        problem=problem,
        title="Dhuna në familje",
        intensity="high",
        institutions=[officers["police"]],
        outcome="in_plan",
    )
    with translation.override("en"):
        (row,) = services.problems_pull(version=draft, problems=[problem])
    expected = timezone.localtime(consultation.starts_at).strftime("%d.%m.%Y")
    with translation.override("sq"):
        assert row.provenance == services._provenance(problem) and expected in row.provenance
    assert "open consultation" not in row.provenance


def test_a_huge_number_in_the_import_is_a_row_error_not_a_damaged_file(elbasan, people):
    content = test_import._workbook(test_import._line(baseline="1" + "0" * 30, indicator="Orë"))
    result = test_import._parse(content, elbasan)
    messages = " ".join(str(error) for error in result.errors)
    assert "damaged" not in messages
    assert result.errors and any("1000000000" in str(error) for error in result.errors)


def test_the_fast_path_honours_allowed_hosts(client, approved, settings):
    from kvsp.portal import plan_views

    plan_views.fresh_pages.clear()
    page = f"/elbasan/plan/{YEAR}/"
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200  # now from the fast path
    assert client.get(page, HTTP_HOST="evil.example").status_code == 400
    plan_views.fresh_pages.clear()


def test_while_one_request_makes_the_pdf_others_are_asked_to_come_back(client, approved):
    cache.add(f"kvsp:plan-pdf-render:{approved.pk}", 1, timeout=60)
    response = client.get(f"/elbasan/plan/{YEAR}/plan.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    cache.delete(f"kvsp:plan-pdf-render:{approved.pk}")
    response = client.get(f"/elbasan/plan/{YEAR}/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def _revision(page: str) -> str:
    return re.search(r'name="revision" value="([^"]+)"', page).group(1)


def test_two_editors_saving_one_row_lose_nothing(client, draft, officers):
    """SECURITY.md #4: the second save gets a conflict message, keeps what it typed, and both
    texts survive; saving again replaces the first knowingly."""
    from django.test import Client

    row = draft.problems.first()
    url = f"/app/elbasan/plans/{YEAR}/v1/problems/{row.pk}/"
    first, second = client, Client()
    first.force_login(officers["skn"])
    second.force_login(officers["secretary"])
    first_revision = _revision(first.get(url).text)
    second_revision = _revision(second.get(url).text)
    data = {"number": row.number, "priority": "high", "statistics": "", "statistics_source": ""}
    saved = first.post(url, {**data, "title": "Droga te të rinjtë (SKN)", "revision": first_revision})
    assert saved.status_code == 302
    conflict = second.post(
        url, {**data, "title": "Droga te të rinjtë (sekretaria)", "revision": second_revision}
    )
    assert conflict.status_code == 200
    assert "Dikush tjetër e ruajti" in conflict.text or "Someone else saved" in conflict.text
    assert "Droga te të rinjtë (sekretaria)" in conflict.text
    row.refresh_from_db()
    assert row.title == "Droga te të rinjtë (SKN)"
    again = second.post(
        url, {**data, "title": "Droga te të rinjtë (sekretaria)", "revision": _revision(conflict.text)}
    )
    assert again.status_code == 302
    row.refresh_from_db()
    assert row.title == "Droga te të rinjtë (sekretaria)"


def test_a_stale_revision_is_refused_by_the_service(draft):
    row = draft.problems.first()
    stale = services.row_revision(row)
    services.problem_update(problem=row, title="E re")
    with pytest.raises(services.RowConflict):
        services.problem_update(problem=row, title="E vjetër", revision=stale)
    row.refresh_from_db()
    assert row.title == "E re"


def test_the_signed_decision_is_public_once_approved(client, draft, officers, meeting):
    from django.core.files.base import ContentFile

    url = f"/elbasan/plan/{YEAR}/v1/decision.pdf"
    assert client.get(url).status_code == 404  # a draft has nothing public
    services.version_submit(version=draft, user=officers["skn"])
    services.version_approve(
        version=draft,
        user=officers["chair"],
        meeting=meeting,
        decision_number="12",
        decision_date=timezone.localdate(),
        signed_scan=ContentFile(b"%PDF-1.4 vendimi i nenshkruar", name="vendimi.pdf"),
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 vendimi i nenshkruar"
    assert url in client.get(f"/elbasan/plan/{YEAR}/v1/").text
    assert client.get(f"/belsh/plan/{YEAR}/v1/decision.pdf").status_code == 404


def test_without_a_signed_scan_there_is_no_decision_file(client, approved):
    assert client.get(f"/elbasan/plan/{YEAR}/v1/decision.pdf").status_code == 404
    assert "decision.pdf" not in client.get(f"/elbasan/plan/{YEAR}/v1/").text
