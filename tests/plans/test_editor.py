"""The staff pages of plans: the index, a version laid out like Table 1 with its inline editor
(plain forms and htmx), the workflow (submit, return, approve, revise), pulling problems from a
consultation, and the comparison of two versions. What the user typed survives an error; an
approved (or submitted) version refuses every edit and stays as it was.

Approval queues the PDF task on commit; the test transaction never commits, so it never runs."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from consultations.models import ProblemCategory
from councils.models import Role
from plans import approval, services
from plans.models import Activity, Indicator, PlanProblem, PlanVersion
from tests.builders import YEAR, approve, fill, plan_tree
from tests.factories import UserFactory, council, give_role
from tests.fixtures.browser import log_in

BASE = "/app/elbasan/plans/"
V1 = f"{BASE}{YEAR}/v1/"
V2 = f"{BASE}{YEAR}/v2/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _problem_data(**overrides):
    return {
        "number": "1.5",
        "title": "Dhuna në familje",
        "description": "",
        "statistics": "56 raste në 2025",
        "statistics_source": "Drejtoria Vendore e Policisë",
        "provenance": "përditësuar në mbledhjen e 03.02.2026",
        "priority": "high",
        "category": ProblemCategory.objects.get(code="domestic_violence").pk,  # required in the form
        **overrides,
    }


def _activity_data(officers, **overrides):
    return {
        "text": "Fushatë sensibilizuese në shkolla",
        "lead": officers["police"].pk,
        "partners": [officers["municipality"].pk],
        "deadline_kind": "recurrence",
        "deadline_every_months": "2",
        **overrides,
    }


@pytest.fixture
def skn(client, officers):
    client.force_login(officers["skn"])
    return client


@pytest.fixture
def revised(approved):
    """v1 approved, v2 a draft revising it."""
    return services.version_revise(version=approved)


# --- index -----------------------------------------------------------------------------------------


def test_the_index_lists_the_plans_and_starts_the_plan_of_a_year(skn, draft, approved, revised):
    page = skn.get(BASE)
    assert page.status_code == 200
    assert "/app/elbasan/plans/2026/v1/" in page.text and "/app/elbasan/plans/2026/v2/" in page.text
    assert "12" in page.text  # the decision number of v1

    started = skn.post(BASE, {"year": "2027"})
    assert started.status_code == 302 and started["Location"] == f"{BASE}2027/v1/"
    again = skn.post(BASE, {"year": "2027"})
    assert again["Location"] == f"{BASE}2027/v1/"  # the open draft, not a second one
    assert PlanVersion.objects.filter(plan__year=2027).count() == 1


@pytest.mark.parametrize("year", ["dymijë", "1999", "99999999999999999999999", ""])
def test_a_wrong_year_is_a_form_error_with_the_typed_value_kept(skn, elbasan, year):
    response = skn.post(BASE, {"year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert f'value="{year}"' in response.text or not year
    assert not PlanVersion.objects.exists()


def test_a_year_whose_plan_is_approved_is_revised_not_restarted(skn, approved):
    response = skn.post(BASE, {"year": str(YEAR)})
    assert response.status_code == 200 and response.context["form"].errors
    assert PlanVersion.objects.count() == 1


def test_only_editors_start_a_plan(client, officers, elbasan):
    client.force_login(officers["member"])
    assert client.get(BASE).status_code == 200
    assert client.post(BASE, {"year": "2027"}).status_code == 403
    client.force_login(officers["chair"])
    assert client.post(BASE, {"year": "2027"}).status_code == 403
    assert not PlanVersion.objects.exists()


def test_the_observer_reads_approved_versions_only(client, revised):
    client.force_login(UserFactory(is_national_observer=True))
    index = client.get(BASE)
    assert index.status_code == 200
    assert f"{YEAR}/v1/" in index.text and f"{YEAR}/v2/" not in index.text
    assert client.get(V1).status_code == 200
    assert client.get(V2).status_code == 403  # the draft exists, its content is the council's
    assert client.get(f"{BASE}{YEAR}/compare/?a=1&b=2").status_code == 403


def test_a_signed_out_visitor_is_sent_to_the_login(client, draft):
    assert client.get(V1)["Location"].startswith("/accounts/login/?next=")
    # For htmx (a session that expired while editing), the whole page goes to the login.
    response = client.get(f"{V1}problems/add/", **HTMX)
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_another_council_sees_nothing(client, draft):
    stranger = UserFactory()
    give_role(council("belsh"), Role.SECRETARY, user=stranger)
    client.force_login(stranger)
    assert client.get(BASE).status_code == 404
    assert client.get(V1).status_code == 404
    row = draft.problems.first()
    assert client.post(f"{V1}problems/{row.pk}/", _problem_data()).status_code == 404
    assert PlanProblem.objects.get(pk=row.pk).title == "Problemi 1"


# --- the version page ------------------------------------------------------------------------------


def test_the_version_reads_like_table_1(skn, draft):
    page = skn.get(V1).text
    for text in (
        "1.1",
        "Problemi 1",
        "10 raste në 2025",
        "Drejtoria Vendore e Policisë Elbasan",  # the source, and a lead
        "Orë edukative 1",
        "Orë të zhvilluara",
        "Takime me prindërit 1",
    ):
        assert text in page
    # The lead in bold, partners after; the deadline in words.
    assert '<span class="fw-bold">Drejtoria Vendore e Policisë Elbasan</span>' in page
    assert (
        str(Activity.objects.filter(problem__version=draft, deadline_kind="recurrence").first().deadline)
        in page
    )
    # Editors of a draft get the editor and the workflow.
    assert f"{V1}problems/add/" in page and f"{V1}submit/" in page


def test_a_draft_shows_the_chairs_comments(client, draft, officers):
    approval.version_submit(version=draft, user=officers["skn"])
    client.force_login(officers["chair"])
    returned = client.post(f"{V1}return/", {"comment": "Shtoni burimin e statistikave për 1.2."})
    assert returned.status_code == 302 and returned["Location"] == V1
    client.force_login(officers["skn"])
    assert "Shtoni burimin e statistikave për 1.2." in client.get(V1).text


def test_the_member_reads_but_does_not_edit(client, draft, officers):
    client.force_login(officers["member"])
    page = client.get(V1)
    assert page.status_code == 200 and "Problemi 1" in page.text
    assert "problems/add/" not in page.text and "submit/" not in page.text
    row = draft.problems.first()
    assert client.get(f"{V1}problems/{row.pk}/").status_code == 403
    assert client.post(f"{V1}problems/{row.pk}/", _problem_data()).status_code == 403
    assert client.post(f"{V1}submit/").status_code == 403
    assert PlanProblem.objects.get(pk=row.pk).title == "Problemi 1"


# --- editing through the pages (no JavaScript) ---------------------------------------------------


def test_problems_are_added_edited_moved_and_removed_through_the_pages(skn, draft):
    form = skn.get(f"{V1}problems/add/")
    assert form.status_code == 200 and "<html" in form.text
    assert 'value="1.3"' in form.text  # the next number is proposed
    added = skn.post(f"{V1}problems/add/", _problem_data())
    row = draft.problems.get(number="1.5")
    assert added.status_code == 302 and added["Location"] == f"{V1}#problem-{row.pk}"
    assert (row.priority, row.statistics_source, row.position) == ("high", "Drejtoria Vendore e Policisë", 3)

    edited = skn.post(f"{V1}problems/{row.pk}/", _problem_data(title="Dhuna në familje dhe në çift"))
    assert edited.status_code == 302
    row.refresh_from_db()
    assert row.title == "Dhuna në familje dhe në çift"

    assert skn.post(f"{V1}problems/{row.pk}/move/", {"direction": "up"}).status_code == 302
    assert list(draft.problems.order_by("position").values_list("number", flat=True)) == ["1.1", "1.5", "1.2"]
    assert skn.get(f"{V1}problems/{row.pk}/move/").status_code == 405
    assert skn.get(f"{V1}problems/{row.pk}/delete/").status_code == 405
    removed = skn.post(f"{V1}problems/{row.pk}/delete/")
    assert removed.status_code == 302
    assert list(draft.problems.values_list("number", flat=True)) == ["1.1", "1.2"]


def test_bad_input_comes_back_with_what_was_typed(skn, draft):
    typed = _problem_data(
        number="1.1", title="Vjedhje banesash", statistics="12 vjedhje", statistics_source=""
    ) | {"deadline_kind": "recurrence"}
    response = skn.post(f"{V1}problems/add/", typed)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"deadline_every_months"}  # the form first; the service's checks after
    assert 'value="Vjedhje banesash"' in response.text and "12 vjedhje" in response.text
    typed["deadline_every_months"] = "2"  # the statistics' source stays optional
    taken = skn.post(f"{V1}problems/add/", typed)  # 1.1 is taken: the service says so
    assert taken.status_code == 200 and set(taken.context["form"].errors) == {"number"}
    assert 'value="Vjedhje banesash"' in taken.text
    assert draft.problems.count() == 2


def test_the_deadline_widget_asks_for_the_field_its_kind_needs(skn, draft, officers):
    row = draft.problems.first()
    url = f"{V1}problems/{row.pk}/activities/add/"
    for kind, missing in (
        ("date", "deadline_date"),
        ("period", "deadline_period"),
        ("recurrence", "deadline_every_months"),
    ):
        data = _activity_data(officers, deadline_kind=kind, deadline_every_months="")
        response = skn.post(url, data)
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {missing}
        assert "Fushatë sensibilizuese në shkolla" in response.text
    for value in ("13", "0", "dy"):
        response = skn.post(url, _activity_data(officers, deadline_every_months=value))
        assert set(response.context["form"].errors) == {"deadline_every_months"}
    response = skn.post(url, _activity_data(officers, deadline_kind="date", deadline_date="31.02.2026"))
    assert set(response.context["form"].errors) == {"deadline_date"}
    assert row.activities.count() == 2

    assert skn.post(url, _activity_data(officers)).status_code == 302
    activity = row.activities.order_by("position").last()
    assert (activity.deadline_kind, activity.deadline_every_months, activity.lead) == (
        "recurrence",
        2,
        officers["police"],
    )
    assert list(activity.partners.all()) == [officers["municipality"]]
    dated = _activity_data(
        officers, deadline_kind="date", deadline_date="30.06.2026", deadline_every_months=""
    )
    assert skn.post(f"{V1}activities/{activity.pk}/", dated).status_code == 302
    activity.refresh_from_db()
    assert (activity.deadline_kind, str(activity.deadline_date), activity.deadline_every_months) == (
        "date",
        "2026-06-30",
        None,
    )


def test_an_institution_outside_the_council_is_refused(skn, draft, officers):
    from councils.models import Institution

    stranger = Institution.objects.create(name="Jashtë", category="c")
    row = draft.problems.first()
    response = skn.post(f"{V1}problems/{row.pk}/activities/add/", _activity_data(officers, lead=stranger.pk))
    assert response.status_code == 200 and set(response.context["form"].errors) == {"lead"}
    assert row.activities.count() == 2


def test_indicators_through_the_pages(skn, draft):
    activity = Activity.objects.filter(problem__version=draft).order_by("pk").first()
    url = f"{V1}activities/{activity.pk}/indicators/add/"
    data = {
        "name": "Nxënës të informuar",
        "unit": "nxënës",
        "baseline": "12,5",
        "target": "1 200",
        "frequency": "annual",
    }
    bad = skn.post(url, {**data, "target": "1" * 20})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"target"}
    assert 'value="Nxënës të informuar"' in bad.text
    assert skn.post(url, {**data, "target": "1200"}).status_code == 302
    indicator = activity.indicators.get(name="Nxënës të informuar")
    assert (indicator.baseline, indicator.target) == (Decimal("12.5"), Decimal("1200"))
    assert skn.post(f"{V1}indicators/{indicator.pk}/", {**data, "target": "900"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == Decimal("900")
    assert skn.post(f"{V1}indicators/{indicator.pk}/delete/").status_code == 302
    assert not activity.indicators.filter(pk=indicator.pk).exists()


# --- editing with htmx -------------------------------------------------------------------------------


def test_htmx_gets_the_form_in_place_and_the_rows_back(skn, draft):
    row = draft.problems.first()
    form = skn.get(f"{V1}problems/{row.pk}/", **HTMX)
    assert form.status_code == 200 and "<html" not in form.text
    assert f'data-hx-post="{V1}problems/{row.pk}/"' in form.text and 'value="Problemi 1"' in form.text
    assert "HX-Request" in form["Vary"]

    saved = skn.post(
        f"{V1}problems/{row.pk}/", _problem_data(number="1.1", title="Droga te të rinjtë"), **HTMX
    )
    assert saved.status_code == 200
    assert (saved["HX-Retarget"], saved["HX-Reswap"]) == ("#plan-rows", "outerHTML")
    assert saved.text.lstrip().startswith('<div id="plan-rows">') and "Droga te të rinjtë" in saved.text
    assert 'id="plan-status" data-hx-swap-oob="true"' in saved.text
    row.refresh_from_db()
    assert row.title == "Droga te të rinjtë"

    wrong = skn.post(f"{V1}problems/{row.pk}/", _problem_data(number="1.2", title="Tjetër"), **HTMX)
    assert wrong.status_code == 200 and "HX-Retarget" not in wrong
    assert "<html" not in wrong.text and 'value="Tjetër"' in wrong.text and "is-invalid" in wrong.text
    row.refresh_from_db()
    assert row.title == "Droga te të rinjtë"

    rows = skn.get(V1, **HTMX)
    assert rows.text.lstrip().startswith('<div id="plan-rows">')


def test_htmx_reorders_adds_and_removes(skn, draft, officers):
    first, second = draft.problems.order_by("position")
    moved = skn.post(f"{V1}problems/{second.pk}/move/", {"direction": "up"}, **HTMX)
    assert moved.status_code == 200 and moved["HX-Retarget"] == "#plan-rows"
    assert moved.text.index("Problemi 2") < moved.text.index("Problemi 1")
    activity = second.activities.order_by("position").last()
    assert skn.post(f"{V1}activities/{activity.pk}/move/", {"direction": "up"}, **HTMX).status_code == 200
    assert second.activities.order_by("position").first() == activity

    added = skn.post(f"{V1}problems/{first.pk}/activities/add/", _activity_data(officers), **HTMX)
    assert added.status_code == 200 and "Fushatë sensibilizuese në shkolla" in added.text
    indicator = Indicator.objects.filter(activity__problem=first).first()
    assert skn.post(f"{V1}indicators/{indicator.pk}/delete/", **HTMX).status_code == 200
    assert skn.post(f"{V1}activities/{activity.pk}/delete/", **HTMX).status_code == 200
    assert skn.post(f"{V1}problems/{first.pk}/delete/", **HTMX).status_code == 200
    assert list(draft.problems.values_list("title", flat=True)) == ["Problemi 2"]

    bogus = skn.post(f"{V1}problems/{second.pk}/move/", {"direction": "sideways"}, **HTMX)
    assert bogus["HX-Redirect"] == V1  # the message shows on the page


def test_rows_are_found_only_inside_the_version_of_the_url(skn, revised):
    old_row = revised.based_on.problems.first()
    old_activity = Activity.objects.filter(problem=old_row).first()
    old_indicator = Indicator.objects.filter(activity=old_activity).first()
    for page in (
        f"problems/{old_row.pk}/",
        f"problems/{old_row.pk}/move/",
        f"problems/{old_row.pk}/delete/",
        f"problems/{old_row.pk}/activities/add/",
        f"activities/{old_activity.pk}/",
        f"activities/{old_activity.pk}/delete/",
        f"activities/{old_activity.pk}/indicators/add/",
        f"indicators/{old_indicator.pk}/",
        f"indicators/{old_indicator.pk}/delete/",
        "problems/99999999999999999999999/",
    ):
        assert skn.post(V2 + page, {"direction": "up"}).status_code == 404, page
    assert skn.get(f"{BASE}99999999999999999999/v1/").status_code == 404
    assert skn.get(f"{BASE}{YEAR}/v3/").status_code == 404


# --- an approved version never changes ------------------------------------------------------------


def test_every_edit_of_an_approved_version_is_refused_and_changes_nothing(skn, revised, officers):
    approved = revised.based_on
    before = plan_tree(approved)
    row = approved.problems.first()
    activity = row.activities.first()
    indicator = activity.indicators.first()
    posts = {
        "problems/add/": _problem_data(),
        f"problems/{row.pk}/": _problem_data(),
        f"problems/{row.pk}/move/": {"direction": "down"},
        f"problems/{row.pk}/delete/": {},
        f"problems/{row.pk}/activities/add/": _activity_data(officers),
        f"activities/{activity.pk}/": _activity_data(officers),
        f"activities/{activity.pk}/move/": {"direction": "down"},
        f"activities/{activity.pk}/delete/": {},
        f"activities/{activity.pk}/indicators/add/": {"name": "X", "frequency": "annual"},
        f"indicators/{indicator.pk}/": {"name": "X", "frequency": "annual"},
        f"indicators/{indicator.pk}/delete/": {},
        "pull/": {},
        "submit/": {},
    }
    for page, data in posts.items():
        response = skn.post(V1 + page, data)
        assert response.status_code == 302 and response["Location"] == V1, page
        htmx = skn.post(V1 + page, data, **HTMX)
        assert htmx["HX-Redirect"] == V1, page
    assert skn.get(f"{V1}problems/{row.pk}/").status_code == 302
    message = skn.get(V1).text
    assert "alert-danger" in message
    assert plan_tree(approved) == before
    assert PlanVersion.objects.get(pk=approved.pk).status == "approved"


def test_a_submitted_version_waits_for_the_chair(skn, draft):
    assert skn.post(f"{V1}submit/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    row = draft.problems.first()
    assert skn.post(f"{V1}problems/{row.pk}/", _problem_data()).status_code == 302
    assert PlanProblem.objects.get(pk=row.pk).title == "Problemi 1"


def test_an_incomplete_draft_is_not_submitted(skn, elbasan):
    version = services.plan_start(council=elbasan, year=YEAR)
    services.problem_add(version=version, number="1.1", title="Vjedhje", priority="low")
    response = skn.post(f"{V1}submit/", follow=True)
    assert response.status_code == 200 and "alert-danger" in response.text
    assert PlanVersion.objects.get().status == "draft"


def test_revise_starts_a_new_draft_once(skn, approved):
    page = skn.get(V1).text
    assert f"{V1}revise/" in page
    assert skn.get(f"{V1}revise/").status_code == 405
    revised = skn.post(f"{V1}revise/", {"note": "Pas konsultimit të vjeshtës"})
    assert revised.status_code == 302 and revised["Location"] == V2
    draft = PlanVersion.objects.get(number=2)
    assert (draft.status, draft.note, draft.based_on_id) == (
        "draft",
        "Pas konsultimit të vjeshtës",
        approved.pk,
    )
    assert f"{V1}revise/" not in skn.get(V1).text
    again = skn.post(f"{V1}revise/", {"note": ""})
    assert again.status_code == 302 and PlanVersion.objects.count() == 2


# --- pulling from the consultations -------------------------------------------------------------


def test_problems_selected_in_a_consultation_are_pulled_into_the_draft(skn, draft, selected):
    page = skn.get(V1).text
    assert f"{V1}pull/" in page
    form = skn.get(f"{V1}pull/")
    assert form.status_code == 200 and "Droga pranë shkollave" in form.text
    assert skn.post(f"{V1}pull/", {}).status_code == 200  # nothing ticked: an error
    assert skn.post(f"{V1}pull/", {"problems": ["x"]}).status_code == 200
    pulled = skn.post(f"{V1}pull/", {"problems": [selected.pk]})
    assert pulled.status_code == 302
    row = draft.problems.get(source_problem=selected)
    assert row.title == "Droga pranë shkollave" and row.concerns.count() == 1
    assert f"{V1}pull/" not in skn.get(V1).text  # nothing left to pull


# --- compare -------------------------------------------------------------------------------------


def test_compare_shows_what_changed_field_by_field(skn, revised):
    row = revised.problems.order_by("position").first()
    services.problem_update(problem=row, number="2.1", title="Droga dhe alkooli te të rinjtë")
    services.problem_add(version=revised, number="1.9", title="Trafiku pranë shkollave", priority="low")
    page = skn.get(f"{BASE}{YEAR}/compare/?a=1&b=2")
    assert page.status_code == 200
    text = page.text
    assert "<del>Problemi 1</del>" in text and "<ins>Droga dhe alkooli te të rinjtë</ins>" in text
    assert "<del>1.1</del>" in text and "<ins>2.1</ins>" in text
    assert "Trafiku pranë shkollave" in text
    assert "Problemi 2" in text  # listed as unchanged
    # Without a choice, the newest version against the one it revises.
    assert skn.get(f"{BASE}{YEAR}/compare/").context["newer"] == revised
    reversed_ = skn.get(f"{BASE}{YEAR}/compare/?a=2&b=1")
    assert reversed_.context["older"].number == 1


@pytest.mark.parametrize("query", ["a=1&b=1", "a=x&b=2", "a=1&b=99999999999999999999", "a=7&b=1", "a=1"])
def test_a_wrong_comparison_is_a_form_error(skn, revised, query):
    response = skn.get(f"{BASE}{YEAR}/compare/?{query}")
    assert response.status_code == 200 and response.context["form"].errors
    assert "older" not in response.context


def test_compare_of_a_year_without_a_plan_is_404(skn, elbasan):
    assert skn.get(f"{BASE}2031/compare/").status_code == 404


# --- queries -------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url", "htmx"),
    [
        ("skn", V2, False),
        ("skn", V2, True),
        ("member", V2, False),
        ("skn", BASE, False),
        ("observer", BASE, False),
        ("skn", f"{BASE}{YEAR}/compare/?a=1&b=2", False),
    ],
)
def test_pages_use_a_fixed_number_of_queries(client, officers, revised, selected, who, url, htmx):
    user = UserFactory(is_national_observer=True) if who == "observer" else officers[who]
    client.force_login(user)
    headers = HTMX if htmx else {}
    client.get(url, **headers)  # the first request of a session stamps it: not counted
    with CaptureQueriesContext(connection) as captured:
        client.get(url, **headers)
    few = len(captured)
    fill(revised, officers, 6, prefix="3")
    services.problems_pull(version=revised, problems=[selected])
    client.get(url, **headers)  # warm again: the new rows renewed the cached "waiting for you" count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    assert len(captured) == few


def test_an_approved_plan_reads_in_a_fixed_number_of_queries(client, elbasan, officers, meeting):
    """Two approved plans, of 2 and of 9 problems, read by the national observer."""
    for year, size in ((2025, 2), (2026, 9)):
        version = services.plan_start(council=elbasan, year=year)
        fill(version, officers, size)
        approve(version, officers, meeting)
    client.force_login(UserFactory(is_national_observer=True))
    client.get(f"{BASE}2025/v1/")
    assert _queries(client, f"{BASE}2025/v1/") == _queries(client, f"{BASE}2026/v1/")


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_editor_in_the_browser(page, live_server, audit, reference_data):
    """The SKN edits a draft inline (htmx) on a laptop and reads it on a phone; every state is
    audited (axe-core, Nu HTML Checker, CSP)."""
    from councils.models import Institution

    password = "sekret-i-forte-2026"
    elbasan = council("elbasan")
    police = Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c")
    municipality = Institution.objects.create(name="Bashkia Elbasan", category="a")
    skn = UserFactory(email="skn@policia.gov.al", full_name="Arben Hoxha", password=password)
    give_role(elbasan, Role.SKN_POLICE, user=skn, institution=police)
    give_role(elbasan, Role.MEMBER, full_name="Ilir Basha", institution=municipality)
    version = services.plan_start(council=elbasan, year=YEAR)
    fill(version, {"police": police, "prosecution": police, "municipality": municipality}, 1)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    page.goto(live_server.url + "/accounts/login/")
    log_in(page, live_server, skn.email, password)
    page.goto(live_server.url + V1)
    audit(page)

    # A new problem, inline; an error first, with what was typed kept.
    page.locator(f"a[href='{V1}problems/add/']").click()
    form = page.locator("#form-problem-new form")
    expect(form).to_be_visible()
    expect(page.locator("#problem-new_title")).to_be_focused()
    page.locator("#problem-new_number").fill("1.1")
    page.locator("#problem-new_title").fill("Dhuna në familje")
    page.locator("#problem-new_priority_0").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#form-problem-new .invalid-feedback")).to_be_visible()
    expect(page.locator("#problem-new_title")).to_have_value("Dhuna në familje")
    audit(page)
    page.locator("#problem-new_number").fill("1.5")
    page.locator("#problem-new_category").select_option(label="Dhuna në familje")
    page.locator("#form-problem-new button[type=submit]").click()
    expect(page.locator("#plan-rows")).to_contain_text("Dhuna në familje")
    expect(page.locator("#plan-status")).not_to_be_empty()
    row = PlanProblem.objects.get(number="1.5")

    # An activity with a recurring deadline: only the field that kind needs shows.
    page.locator(f"a[href='{V1}problems/{row.pk}/activities/add/']").click()
    slot = f"activity-new-{row.pk}"
    expect(page.locator(f"#{slot}_text")).to_be_visible()
    expect(page.locator(f"#{slot}_deadline_every_months")).to_be_hidden()
    page.locator(f"#{slot}_deadline_kind_2").check()  # recurrence
    expect(page.locator(f"#{slot}_deadline_every_months")).to_be_visible()
    expect(page.locator(f"#{slot}_deadline_date")).to_be_hidden()
    page.locator(f"#{slot}_text").fill("Takime me nënat në qendrën komunitare")
    page.locator(f"#{slot}_lead").select_option(str(police.pk))
    page.locator(f"#{slot}_deadline_every_months").fill("2")
    audit(page)
    page.locator(f"#form-{slot} button[type=submit]").click()
    expect(page.locator(f"#problem-{row.pk}")).to_contain_text("Takime me nënat në qendrën komunitare")
    audit(page)

    # Reorder, then remove after confirming.
    page.locator(f"#problem-{row.pk} button[value=up]").first.click()
    expect(page.locator("#plan-rows article").first).to_have_id(f"problem-{row.pk}")
    page.locator(f"#problem-{row.pk} form[action$='/delete/'] button").first.click()
    expect(page.locator(f"#problem-{row.pk}")).to_have_count(0)
    assert len(dialogs) == 1
    audit(page)

    # On a phone the columns stack into cards, each value with its column's name.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#plan-rows article").first.locator(".d-lg-none").first).to_be_visible()
    audit(page)
    assert re.search(r"Problemi 1", page.content())


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
    data["category"] = ProblemCategory.objects.get(code="other").pk
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
