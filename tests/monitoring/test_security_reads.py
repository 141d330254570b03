"""Security logging of non-public reads in monitoring and plans (kvsp/core/security_log.py): an
evidence file and a draft plan's workbook leave a ``read`` line on ``kvsp.security`` with the user,
the object and the council, never the file's bytes; an approved plan's workbook leaves none."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import TODAY, YEAR, build_plan, record

EVIDENCE = b"%PDF-1.4\n% DESHMI-E-BRENDSHME\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _captured(caplog, settings):
    caplog.set_level(logging.INFO)
    settings.KVSP_REQUIRE_2FA = False  # the second factor is not what these tests are about


def reads(caplog) -> list[dict]:
    return [r.security for r in caplog.records if r.name == "kvsp.security" and r.security["event"] == "read"]


def test_an_evidence_download_is_logged_without_its_bytes(client, plan, people, caplog):
    evidence = SimpleUploadedFile("deshmi.pdf", EVIDENCE, content_type="application/pdf")
    update = record(plan.activities["q3"], people["skn_police"], "in_progress", 50, TODAY, evidence=evidence)
    client.force_login(people["member"])
    response = client.get(f"/app/elbasan/monitoring/updates/{update.pk}/evidence/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == EVIDENCE
    (line,) = reads(caplog)
    assert line["object_type"] == "monitoring.statusupdate" and line["object_id"] == update.pk
    assert line["user"] == people["member"].pk and line["council"] == "elbasan"
    assert line["kind"] == "evidence" and line["url_name"] == "monitoring:evidence"
    assert all("DESHMI" not in r.getMessage() for r in caplog.records)


def test_a_draft_workbook_is_logged_and_an_approved_one_is_not(client, elbasan, people, caplog):
    draft = build_plan(elbasan, people).version
    client.force_login(people["secretary"])
    url = f"/app/elbasan/plans/{YEAR}/v{draft.number}/plan.xlsx"
    assert client.get(url).status_code == 200
    (line,) = reads(caplog)
    assert line["object_type"] == "plans.planversion" and line["object_id"] == draft.pk
    assert line["kind"] == "plan_xlsx" and line["user"] == people["secretary"].pk


def test_an_approved_workbook_is_no_non_public_read(client, plan, people, caplog):
    client.force_login(people["member"])
    assert client.get(f"/app/elbasan/plans/{YEAR}/v{plan.version.number}/plan.xlsx").status_code == 200
    assert reads(caplog) == []
