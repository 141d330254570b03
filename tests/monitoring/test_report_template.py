"""The council's own monthly report template (guide, section 3.4): the SKN drafts it, the chair
approves or returns it, each step told to whom it concerns and shown in their "waiting for you";
who may do each; a template with no section refused; an approved version never changes (a new
draft is a new version); a report follows the version in force when it was opened, and an approved
report reads the same after the template changed."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from councils.models import Role
from councils.waiting import waiting_for
from kvsp.notify.models import Notification
from monitoring import report_layout, services, template_services
from monitoring.models import MonthlyReport, ReportSection, ReportTemplate
from monitoring.template_handoffs import TemplateHandoff
from tests.factories import UserFactory, council, give_role

NO_SECTION = "A report template needs at least one section: include one or more sections."
CUSTOM = [
    {"kind": "summary", "heading": "Përmbledhje e gjendjes së sigurisë në bashki"},
    {"kind": "indicators", "heading": "Treguesit e matur gjatë muajit"},
    {"kind": "overdue", "heading": "Veprimtari me afat të kaluar"},
    {"kind": "proposals", "heading": "Rekomandime për kryetarin e KVSP-së"},
]
OTHER = [
    {"kind": "overview", "heading": "Pasqyrë e shkurtër"},
    {"kind": "summary", "heading": "Gjetjet kryesore të SKN-së"},
]


def approved_template(elbasan, people, sections=CUSTOM) -> ReportTemplate:
    skn, chair = people["skn_police"], people["chair"]
    template_services.template_save(council=elbasan, user=skn, sections=sections)
    template_services.template_submit(council=elbasan, user=skn)
    return template_services.template_approve(council=elbasan, user=chair)


def headings(html: str) -> list[str]:
    """The section headings of a report page, in order."""
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<h2 class="h5" id="report-[a-z]+">(.*?)</h2>', html, re.S)
    ]


def notices(kind, user):
    return Notification.objects.filter(kind=kind, user=user, handled_at__isnull=True)


# --- services ---------------------------------------------------------------------------------------


def test_until_a_template_is_approved_the_standard_one_applies(elbasan, people, plan):
    template_services.template_save(council=elbasan, user=people["skn_police"], sections=CUSTOM)
    assert report_layout.in_force(elbasan) is None
    report = services.report_start(council=elbasan, year=2026, month=6)
    assert report.template is None
    content = services.report_content(report)
    assert content["template"] is None
    assert [section["kind"] for section in report_layout.layout(content)] == list(ReportSection.values)


def test_the_skn_drafts_submits_and_the_chair_approves(elbasan, people):
    skn, chair = people["skn_police"], people["chair"]
    draft = template_services.template_save(council=elbasan, user=skn, sections=CUSTOM)
    assert (draft.number, draft.status, draft.sections) == (1, "draft", CUSTOM)
    # Saving again writes the same version.
    again = template_services.template_save(council=elbasan, user=people["secretary"], sections=OTHER)
    assert again.pk == draft.pk and again.sections == OTHER

    submitted = template_services.template_submit(council=elbasan, user=skn)
    assert submitted.status == "submitted" and submitted.submitted_by == skn
    assert notices(TemplateHandoff.SUBMITTED, chair).count() == 1
    assert [item.kind for item in waiting_for(chair)].count("template_to_approve") == 1
    assert "template_to_approve" not in [item.kind for item in waiting_for(skn)]

    approved = template_services.template_approve(council=elbasan, user=chair)
    assert approved.status == "approved" and approved.approved_by == chair
    assert report_layout.in_force(elbasan) == approved
    # The chair's notice is done; the SKN and the secretary are told.
    assert not notices(TemplateHandoff.SUBMITTED, chair).exists()
    assert notices(TemplateHandoff.APPROVED, skn).count() == 1
    assert notices(TemplateHandoff.APPROVED, people["secretary"]).count() == 1
    assert "template_to_approve" not in [item.kind for item in waiting_for(chair)]


def test_the_chair_returns_with_comments_and_the_skn_is_told(elbasan, people):
    skn, chair = people["skn_police"], people["chair"]
    template_services.template_save(council=elbasan, user=skn, sections=CUSTOM)
    template_services.template_submit(council=elbasan, user=skn)
    with pytest.raises(ValidationError) as refused:
        template_services.template_return(council=elbasan, user=chair, comment="   ")
    assert refused.value.message_dict == {"comment": [gettext("Say what needs to change.")]}
    assert ReportTemplate.objects.get().status == "submitted"

    returned = template_services.template_return(
        council=elbasan, user=chair, comment="Shtoni tabelën e veprimtarive të vonuara."
    )
    assert returned.status == "returned" and returned.returned_by == chair
    assert notices(TemplateHandoff.RETURNED, skn).count() == 1
    assert not notices(TemplateHandoff.SUBMITTED, chair).exists()
    assert "template_returned" in [item.kind for item in waiting_for(skn)]
    assert "template_returned" not in [item.kind for item in waiting_for(people["member"])]

    # Reworked and submitted again: the same version; the "returned" notice is done.
    reworked = template_services.template_save(
        council=elbasan, user=skn, sections=[*CUSTOM, {"kind": "delayed", "heading": "Vonesat"}]
    )
    assert reworked.pk == returned.pk
    template_services.template_submit(council=elbasan, user=skn)
    assert not notices(TemplateHandoff.RETURNED, skn).exists()
    assert "template_returned" not in [item.kind for item in waiting_for(skn)]


def test_a_template_with_no_section_is_refused(elbasan, people):
    with pytest.raises(ValidationError) as refused:
        template_services.template_save(council=elbasan, user=people["skn_police"], sections=[])
    assert refused.value.messages == [gettext(NO_SECTION)]
    assert not ReportTemplate.objects.exists()
    with pytest.raises(ValidationError):
        template_services.template_save(
            council=elbasan, user=people["skn_police"], sections=[{"kind": "name", "heading": "Emri"}]
        )
    with pytest.raises(ValidationError):
        template_services.template_save(
            council=elbasan, user=people["skn_police"], sections=[{"kind": "summary", "heading": "x" * 201}]
        )
    assert not ReportTemplate.objects.exists()


def test_steps_out_of_order_are_refused_and_change_nothing(elbasan, people):
    skn, chair = people["skn_police"], people["chair"]
    for step in (template_services.template_submit, template_services.template_approve):
        with pytest.raises(ValidationError):
            step(council=elbasan, user=chair)  # nothing in the making
    template_services.template_save(council=elbasan, user=skn, sections=CUSTOM)
    with pytest.raises(ValidationError):
        template_services.template_approve(council=elbasan, user=chair)  # a draft is not approved
    template_services.template_submit(council=elbasan, user=skn)
    with pytest.raises(ValidationError):
        template_services.template_save(council=elbasan, user=skn, sections=OTHER)  # with the chair
    with pytest.raises(ValidationError):
        template_services.template_submit(council=elbasan, user=skn)
    assert ReportTemplate.objects.get().sections == CUSTOM


def test_an_approved_version_never_changes_and_a_new_draft_is_a_new_version(elbasan, people):
    first = approved_template(elbasan, people)
    second = template_services.template_save(council=elbasan, user=people["skn_police"], sections=OTHER)
    assert second.number == 2 and second.pk != first.pk
    first.refresh_from_db()
    assert (first.status, first.sections) == ("approved", CUSTOM)
    assert report_layout.in_force(elbasan) == first  # until the chair approves version 2
    # Whatever code runs, the database keeps it.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTemplate.objects.filter(pk=first.pk).update(sections=OTHER)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTemplate.objects.filter(pk=first.pk).update(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTemplate.objects.filter(pk=first.pk).delete()
    # A stale form (opened when there was no version in the making) does not overwrite version 2.
    with pytest.raises(ValidationError):
        template_services.template_save(
            council=elbasan, user=people["skn_police"], sections=CUSTOM, revision=template_services.NEW
        )


# --- rules ------------------------------------------------------------------------------------------


def test_who_may_draft_and_who_may_approve(elbasan, people):
    import rules

    belsh = council("belsh")
    belsh_skn, belsh_chair = UserFactory(), UserFactory()
    give_role(belsh, Role.SKN_POLICE, user=belsh_skn)
    give_role(belsh, Role.CHAIR, user=belsh_chair)
    admin = UserFactory(is_superuser=True, is_staff=True)
    drafts = {
        key: people[key].has_perm("monitoring.draft_template", elbasan)
        for key in people
        if key
        in ("skn_police", "skn_municipality", "skn_prosecution", "secretary", "chair", "member", "guest")
    }
    assert drafts == {
        "skn_police": True,
        "skn_municipality": True,
        "skn_prosecution": True,
        "secretary": True,
        "chair": False,
        "member": False,
        "guest": False,
    }
    approves = {key: rules.test_rule("monitoring.approve_template", people[key], elbasan) for key in drafts}
    assert approves == {key: key == "chair" for key in drafts}
    # Another council's SKN and chair: neither here; the platform admin drafts but never approves.
    assert not belsh_skn.has_perm("monitoring.draft_template", elbasan)
    assert not rules.test_rule("monitoring.approve_template", belsh_chair, elbasan)
    assert admin.has_perm("monitoring.draft_template", elbasan)
    assert not rules.test_rule("monitoring.approve_template", admin, elbasan)
    # for_user agrees: the council's people read its versions; another council's do not.
    template = template_services.template_save(council=elbasan, user=people["skn_police"], sections=CUSTOM)
    assert list(ReportTemplate.objects.for_user(people["member"])) == [template]
    assert list(ReportTemplate.objects.for_user(belsh_skn)) == []


# --- reports on a template --------------------------------------------------------------------------


def test_a_report_follows_its_version_and_an_approved_report_never_changes(client, elbasan, people, plan):
    skn, chair = people["skn_police"], people["chair"]
    first = approved_template(elbasan, people)
    june = services.report_start(council=elbasan, year=2026, month=6)
    assert june.template == first
    services.report_update(
        report=june, summary="Muaj i qetë në shkolla.", difficulties="", proposals="Më shumë patrullime."
    )
    services.report_submit(report=june, user=skn)
    june = services.report_approve(report=june, user=chair)
    assert june.content["template"] == {"id": first.pk, "number": 1, "sections": CUSTOM}
    # A report opened under version 1 and still a draft keeps it too.
    may = services.report_start(council=elbasan, year=2026, month=5)

    client.force_login(skn)
    page = "/app/elbasan/monitoring/reports/2026/6/"
    before = client.get(page).content.decode()
    assert headings(before) == [section["heading"] for section in CUSTOM]
    pdf_before = june.pdf.read()

    approved_template(elbasan, people, sections=OTHER)
    after = client.get(page).content.decode()
    assert headings(after) == headings(before)
    june.refresh_from_db()
    assert june.pdf.read() == pdf_before
    assert headings(client.get("/app/elbasan/monitoring/reports/2026/5/").content.decode()) == headings(
        before
    )
    # A new report follows version 2.
    april = services.report_start(council=elbasan, year=2026, month=4)
    assert april.template.number == 2
    html = client.get("/app/elbasan/monitoring/reports/2026/4/").content.decode()
    assert headings(html) == [section["heading"] for section in OTHER]
    assert may.template == first


def test_the_narrative_form_holds_the_templates_text_sections(client, elbasan, people, plan):
    skn = people["skn_police"]
    approved_template(elbasan, people, sections=[{"kind": "overview", "heading": ""}, *CUSTOM[1:]])
    report = services.report_start(council=elbasan, year=2026, month=6)
    client.force_login(skn)
    edit = client.get("/app/elbasan/monitoring/reports/2026/6/edit/")
    assert list(edit.context["form"].fields) == ["proposals", "revision"]
    assert edit.context["form"].fields["proposals"].label == "Rekomandime për kryetarin e KVSP-së"
    response = client.post(
        "/app/elbasan/monitoring/reports/2026/6/edit/", {"proposals": "Ngritja e një grupi pune."}
    )
    assert response.status_code == 302
    # No summary section: the report is submitted without one.
    services.report_submit(report=MonthlyReport.objects.get(pk=report.pk), user=skn)
    assert MonthlyReport.objects.get(pk=report.pk).status == "submitted"


# --- pages ------------------------------------------------------------------------------------------


def test_no_section_on_the_form_is_refused_with_what_was_typed_kept(client, elbasan, people):
    client.force_login(people["skn_police"])
    data = {"revision": ""}
    for place, kind in enumerate(ReportSection, start=1):
        data[f"{kind}-position"] = str(place)
        data[f"{kind}-heading"] = f"Titulli im {place}"
    response = client.post("/app/elbasan/monitoring/template/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert gettext(NO_SECTION) in html
    assert 'value="Titulli im 7"' in html
    assert not ReportTemplate.objects.exists()
    # Nonsense order numbers: a field error, never a 500.
    data.update({"summary-include": "on", "summary-position": "abc"})
    response = client.post("/app/elbasan/monitoring/template/edit/", data)
    assert response.status_code == 200 and not ReportTemplate.objects.exists()
    assert 'value="abc"' in response.content.decode()


def test_the_form_orders_the_sections_by_the_numbers_given(client, elbasan, people):
    client.force_login(people["skn_police"])
    data = {"revision": ""}
    for place, kind in enumerate(ReportSection, start=1):
        data[f"{kind}-position"] = str(place)
        data[f"{kind}-heading"] = str(kind.label)
    data.update(
        {"proposals-include": "on", "proposals-position": "1", "proposals-heading": "Propozimet tona"}
    )
    data.update({"summary-include": "on", "summary-position": "2"})
    response = client.post("/app/elbasan/monitoring/template/edit/", data)
    assert response.status_code == 302
    assert ReportTemplate.objects.get().sections == [
        {"kind": "proposals", "heading": "Propozimet tona"},
        {"kind": "summary", "heading": ""},  # the standard heading, read in each reader's language
    ]


def test_the_template_page_costs_the_same_with_many_versions(
    client, elbasan, people, django_assert_max_num_queries
):
    client.force_login(people["chair"])
    approved_template(elbasan, people)
    with django_assert_max_num_queries(40) as few:
        assert client.get("/app/elbasan/monitoring/template/").status_code == 200
    for sections in (OTHER, CUSTOM, OTHER, CUSTOM):
        approved_template(elbasan, people, sections=sections)
    template_services.template_save(council=elbasan, user=people["skn_police"], sections=OTHER)
    template_services.template_submit(council=elbasan, user=people["skn_police"])
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get("/app/elbasan/monitoring/template/")
    assert response.status_code == 200
    assert len(response.context["versions"]) == 6
    assert len(many.captured_queries) <= len(few.captured_queries)
