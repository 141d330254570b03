"""The monitoring board's staff pages: the dashboard (the plan in force, its charts and tables, in a
fixed number of queries), an activity's timeline and update form (errors kept with what was typed,
"done" below 100 % confirmed, no lost update, who may record), an indicator's values and form
(corrections with their revision), and the evidence files (attachments, for the council's people).
Today is 15 July 2026 (``clock`` in conftest.py); ``plan`` and ``monitored`` are described there."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from councils.models import Role
from monitoring import services
from monitoring.models import IndicatorValue, StatusUpdate
from plans import services as plan_services
from plans.models import Activity
from plans.services import row_revision
from tests.factories import UserFactory, council, give_role

from .conftest import TODAY, YEAR, approve, record

BASE = "/app/elbasan/monitoring/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def activity_url(activity) -> str:
    return f"{BASE}activities/{activity.lineage}/"


def indicator_url(indicator) -> str:
    return f"{BASE}indicators/{indicator.lineage}/"


def message(text: str, **params) -> str:
    """``text`` as the Albanian interface shows it (the pages escape quotes)."""
    with translation.override("sq"):
        translated = gettext(text)
    return translated % params if params else translated


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def skn(client, people):
    return signed_in(client, people["skn_police"])


def update_data(seen, **overrides) -> dict:
    return {
        "status": "in_progress",
        "progress": "40",
        "date": TODAY.isoformat(),
        "note": "Dy patrullime në javë pranë shkollës.",
        "seen": str(seen),
        **overrides,
    }


def allow_members(elbasan) -> None:
    elbasan.members_update_own_activities = True
    elbasan.save(update_fields=["members_update_own_activities"])


# --- the dashboard -----------------------------------------------------------------------------------


def test_the_dashboard_shows_the_plan_in_force_and_where_each_activity_stands(skn, monitored):
    response = skn.get(BASE)
    assert response.status_code == 200
    context = response.context
    assert context["version"] == monitored.version and context["year"] == YEAR
    assert context["totals"]["total"] == 6 and context["done"] == 1
    # Overdue today: "date" (31.05 passed at 60 %) and "every2" (the round of 30.04 missed).
    overdue = {activity.lineage for activity in context["overdue"]}
    assert overdue == {monitored.activities["date"].lineage, monitored.activities["every2"].lineage}
    assert len(context["recent"]) == 7  # every update so far, the newest first
    page = response.text
    for activity in monitored.activities.values():
        assert activity_url(activity) in page
    for indicator in monitored.indicators.values():
        assert indicator_url(indicator) in page
    # The missed due dates, as the Albanian short format writes them.
    assert "31.05.2026" in page and "30.04.2026" in page
    # Both charts, each an SVG with its table, ids prefixed so none repeats.
    for chart in ("chart-priority", "chart-institution"):
        assert f'id="{chart}"' in page and f'aria-labelledby="{chart}-title {chart}-desc"' in page
    assert page.count('<svg class="kvsp-chart-svg"') == 2 and page.count("<caption") == 3
    assert "Drejtoria Vendore e Policisë Elbasan" in page
    # The SKN may update every activity: an "Update" link to each.
    assert page.count('#update"') == 6


def test_the_chart_draws_each_status_in_proportion(skn, monitored):
    """By priority on TODAY: high (date in progress, h1 done), moderate (q3 in progress, every2
    delayed), low (all_year not started, date_later cancelled); each bar two activities long."""
    groups = skn.get(BASE).context["by_priority"]
    assert [group["key"] for group in groups] == ["high", "moderate", "low"]
    high = dict(groups[0]["counts"])
    assert (high["in_progress"], high["done"], high["not_started"]) == (1, 1, 0)
    page = skn.get(BASE).text
    chart = page[page.index('id="chart-priority"') : page.index('id="chart-institution"')]
    assert chart.count('viewBox="0 0 2 1"') == 3  # each bar two activities wide
    assert 'class="kvsp-chart-segment kvsp-chart-done"' in chart
    assert "style=" not in chart  # colours come from the stylesheet (CSP)


def test_a_council_without_an_approved_plan_shows_where_plans_are_made(client, elbasan, people):
    plan_services.plan_start(council=elbasan, year=YEAR)  # a draft is not monitored
    response = signed_in(client, people["member"]).get(BASE)
    assert response.status_code == 200 and response.context["version"] is None
    assert 'href="/app/elbasan/plans/"' in response.text


@pytest.mark.parametrize("year", ["dymijë", "1999", "2031", "99999999999999999999", "", "-1"])
def test_a_wrong_year_shows_the_newest_plan(skn, plan, year):
    response = skn.get(BASE, {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == YEAR and response.context["version"] == plan.version


def test_a_monitored_year_is_chosen(skn, plan, elbasan, people, meeting):
    older = plan_services.plan_start(council=elbasan, year=YEAR - 1)
    row = plan_services.problem_add(version=older, number="1.1", title="Vjedhjet", priority="low")
    plan_services.activity_add(problem=row, text="Kamera", lead=people["police"], deadline_kind="all_year")
    approve(older, people, meeting)
    assert skn.get(BASE).context["version"] == plan.version
    response = skn.get(BASE, {"year": str(YEAR - 1)})
    assert response.context["version"] == older and response.context["years"] == [YEAR, YEAR - 1]
    assert 'name="year"' in response.text


def _plan_of(elbasan, people, meeting, year: int, size: int):
    """An approved plan of ``year`` with ``size`` activities (each with partners, an indicator and
    an update; half of them measured)."""
    version = plan_services.plan_start(council=elbasan, year=year)
    leads = ("police", "school", "municipality", "health")
    for i in range(size // 2):
        row = plan_services.problem_add(
            version=version, number=f"1.{i + 1}", title=f"Problemi {i}", priority=("high", "low")[i % 2]
        )
        for j in range(2):
            activity = plan_services.activity_add(
                problem=row,
                text=f"Aktiviteti {i}.{j}",
                lead=people[leads[(i + j) % 4]],
                partners=[people["school"], people["prosecution"]],
                deadline_kind="recurrence",
                deadline_every_months=3,
            )
            plan_services.indicator_add(activity=activity, name=f"Treguesi {i}.{j}", frequency="annual")
    version = approve(version, people, meeting)
    for n, activity in enumerate(Activity.objects.filter(problem__version=version)):
        record(activity, people["skn_police"], "in_progress", 10 + n, date(year, 2, 1))
        if n % 2:
            services.value_record(
                indicator=activity.indicators.get(), user=people["skn_police"], period=str(year), value=n
            )
    return version


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["skn_police", "member", "observer"])
def test_the_dashboard_reads_in_a_fixed_number_of_queries(client, elbasan, people, meeting, who):
    """Plans of 2 and of 12 activities cost the same, for the SKN, a member whose council lets
    members update their own activities (the rule reads each activity's partners), the observer."""
    allow_members(elbasan)
    _plan_of(elbasan, people, meeting, YEAR - 1, 2)
    _plan_of(elbasan, people, meeting, YEAR, 12)
    user = UserFactory(is_national_observer=True) if who == "observer" else people[who]
    signed_in(client, user)
    small, large = f"{BASE}?year={YEAR - 1}", f"{BASE}?year={YEAR}"
    client.get(small)  # the first request of a session writes the session
    assert client.get(large).context["totals"]["total"] == 12
    assert _queries(client, small) == _queries(client, large)


def test_signed_out_visitors_go_to_the_login_and_other_councils_see_nothing(client, monitored, people):
    activity, indicator = monitored.activities["date"], monitored.indicators["patrols"]
    update = record(activity, people["skn_police"], "in_progress", 70, TODAY, evidence=_pdf())
    pages = [BASE, activity_url(activity), indicator_url(indicator), f"{BASE}updates/{update.pk}/evidence/"]
    for path in pages:
        assert client.get(path)["Location"].startswith("/accounts/login/?next=")
    stranger = UserFactory()
    give_role(council("belsh"), Role.SKN_POLICE, user=stranger)
    signed_in(client, stranger)
    for path in pages:
        assert client.get(path).status_code == 404
    assert client.post(activity_url(activity), update_data(update.pk)).status_code == 404
    assert StatusUpdate.objects.filter(activity_lineage=activity.lineage).count() == 3


# --- an activity -------------------------------------------------------------------------------------


def test_the_activity_page_shows_its_standing_timeline_and_indicators(skn, monitored):
    activity = monitored.activities["date"]
    response = skn.get(activity_url(activity))
    assert response.status_code == 200
    context = response.context
    assert context["activity"] == activity and context["number"] == 1
    assert (context["standing"].status, context["standing"].progress) == ("in_progress", 60)
    assert context["standing"].missed == [date(2026, 5, 31)]
    assert [u.date for u in context["updates"]] == [date(2026, 5, 10), date(2026, 3, 1)]
    assert context["seen"] == StatusUpdate.objects.filter(activity_lineage=activity.lineage).latest("id").pk
    assert context["indicators"][0].latest.value == Decimal("5")
    page = response.text
    assert 'enctype="multipart/form-data"' in page and 'name="seen"' in page
    assert indicator_url(monitored.indicators["patrols"]) in page
    assert "Arben Hoxha" in page  # the author of the updates
    assert 'name="confirm"' not in page  # asked for only when needed


def test_an_update_is_recorded_and_shown(skn, plan, people):
    activity = plan.activities["q3"]
    response = skn.post(activity_url(activity), update_data(0))
    assert response.status_code == 302 and response["Location"] == activity_url(activity)
    update = StatusUpdate.objects.get()
    assert (update.activity, update.author, update.status, update.progress, update.date) == (
        activity,
        people["skn_police"],
        "in_progress",
        40,
        TODAY,
    )
    page = skn.get(activity_url(activity))
    assert "Dy patrullime në javë pranë shkollës." in page.text
    assert page.context["seen"] == update.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("progress", "150"),
        ("progress", "-5"),
        ("progress", "dyzet"),
        ("progress", "99999999999999999999999"),
        ("progress", ""),
        ("status", "finished"),
        ("date", "31.02.2026"),
        ("date", "99999-01-01"),
        ("date", ""),
        ("date", (TODAY + timedelta(days=1)).isoformat()),
        ("date", "2025-12-31"),
    ],
)
def test_bad_input_is_an_error_on_its_field_with_everything_typed_kept(skn, plan, field, value):
    response = skn.post(activity_url(plan.activities["q3"]), update_data(0, **{field: value}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not StatusUpdate.objects.exists()
    assert "Dy patrullime në javë pranë shkollës." in response.text
    if value and field != "status":
        assert f'value="{value}"' in response.text


def test_progress_over_100_says_why(skn, plan):
    response = skn.post(activity_url(plan.activities["q3"]), update_data(0, progress="150"))
    assert message("Progress is a percentage: from 0 to 100.") in response.text
    assert 'value="150"' in response.text and not StatusUpdate.objects.exists()


def test_a_date_in_the_future_is_refused(skn, plan):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = skn.post(activity_url(plan.activities["q3"]), update_data(0, date=tomorrow))
    assert message("An update cannot be dated in the future.") in response.text
    assert not StatusUpdate.objects.exists()


def test_done_below_100_is_recorded_only_when_confirmed(skn, plan):
    path = activity_url(plan.activities["q3"])
    asked = skn.post(path, update_data(0, status="done", progress="30"))
    assert asked.status_code == 200 and list(asked.context["form"].errors) == ["confirm"]
    assert 'name="confirm"' in asked.text  # the checkbox appears, without JavaScript
    assert 'value="30"' in asked.text and not StatusUpdate.objects.exists()
    confirmed = skn.post(path, update_data(0, status="done", progress="30", confirm="on"))
    assert confirmed.status_code == 302
    assert StatusUpdate.objects.get().status == "done"


def test_two_people_updating_at_once_lose_nothing(plan, people):
    """Both open the form on the same newest update; the second save is refused with the first's
    update in the timeline and its own text kept; saving again adds it after."""
    activity = plan.activities["q3"]
    first = record(activity, people["skn_police"], "in_progress", 10, date(2026, 7, 1))
    police, municipality = Client(), Client()
    signed_in(police, people["skn_police"])
    signed_in(municipality, people["skn_municipality"])
    seen = police.get(activity_url(activity)).context["seen"]
    assert municipality.get(activity_url(activity)).context["seen"] == seen == first.pk

    saved = police.post(activity_url(activity), update_data(seen, progress="50", note="Nga policia."))
    assert saved.status_code == 302
    theirs = StatusUpdate.objects.latest("id")
    refused = municipality.post(
        activity_url(activity), update_data(seen, status="delayed", progress="20", note="Nga bashkia.")
    )
    assert refused.status_code == 200
    assert refused.context["conflict"] == theirs and refused.context["seen"] == theirs.pk
    assert StatusUpdate.objects.count() == 2
    page = refused.text
    assert "Nga bashkia." in page and 'value="20"' in page  # what they typed
    assert "Nga policia." in page and f'id="update-{theirs.pk}"' in page  # the other update, shown
    assert f'name="seen" value="{theirs.pk}"' in page
    assert "Arben Hoxha" in page  # who made it, named in the message

    again = municipality.post(
        activity_url(activity), update_data(theirs.pk, status="delayed", progress="20", note="Nga bashkia.")
    )
    assert again.status_code == 302
    assert list(StatusUpdate.objects.order_by("id").values_list("note", flat=True)) == [
        "",
        "Nga policia.",
        "Nga bashkia.",
    ]


def test_a_tampered_seen_is_a_conflict_not_a_crash(skn, monitored):
    activity = monitored.activities["date"]
    response = skn.post(activity_url(activity), update_data("x' OR 1=1"))
    assert response.status_code == 200 and response.context["conflict"] is not None
    assert StatusUpdate.objects.filter(activity_lineage=activity.lineage).count() == 2


def test_who_may_record_an_update(client, plan, people, elbasan):
    """The SKN always; a member only where the council allows it, and only for the activities
    their institution (the school) leads or partners in; readers who may not update get no form."""
    member = signed_in(client, people["member"])
    h1 = plan.activities["h1"]
    page = member.get(activity_url(h1))
    assert page.status_code == 200 and "form" not in page.context
    assert member.post(activity_url(h1), update_data(0)).status_code == 403
    assert not StatusUpdate.objects.exists()

    allow_members(elbasan)
    assert "form" in member.get(activity_url(h1)).context
    assert member.post(activity_url(h1), update_data(0)).status_code == 302  # the school leads it
    assert member.post(activity_url(plan.activities["date"]), update_data(0)).status_code == 302  # partner
    assert member.post(activity_url(plan.activities["q3"]), update_data(0)).status_code == 403
    assert sorted(StatusUpdate.objects.values_list("activity__deadline_kind", flat=True)) == [
        "date",
        "period",
    ]
    assert not StatusUpdate.objects.filter(activity=plan.activities["q3"]).exists()

    for reader in (people["secretary"], people["chair"], UserFactory(is_national_observer=True)):
        signed_in(client, reader)
        assert client.get(activity_url(h1)).status_code == 200
        assert client.post(activity_url(h1), update_data(0)).status_code == 403
    signed_in(client, people["guest"])
    assert client.get(activity_url(h1)).status_code == 403
    assert StatusUpdate.objects.count() == 2


def test_an_activity_is_found_by_lineage_in_the_newest_approved_version(skn, plan, people, meeting):
    """After a revision is approved, the page shows the row of version 2, with the updates made on
    version 1; a lineage that is only in a draft, or nowhere, is a 404."""
    activity = plan.activities["q3"]
    record(activity, people["skn_police"], "in_progress", 10, date(2026, 7, 1))
    draft = plan_services.version_revise(version=plan.version)
    row = draft.problems.get(number="1.2")
    added = plan_services.activity_add(
        problem=row, text="I ri", lead=people["police"], deadline_kind="all_year"
    )
    assert skn.get(activity_url(added)).status_code == 404
    assert skn.get(f"{BASE}activities/{uuid.uuid4()}/").status_code == 404
    assert skn.get(f"{BASE}indicators/{uuid.uuid4()}/").status_code == 404
    approve(draft, people, meeting)
    response = skn.get(activity_url(activity))
    assert response.context["version"].number == 2 and response.context["activity"] != activity
    assert [u.progress for u in response.context["updates"]] == [10]
    assert skn.post(activity_url(activity), update_data(response.context["seen"])).status_code == 302
    assert StatusUpdate.objects.latest("id").activity.problem.version.number == 2


# --- evidence ----------------------------------------------------------------------------------------


def _pdf(name="procesverbal.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_evidence_is_uploaded_and_served_to_the_council_only(client, skn, plan, people):
    activity = plan.activities["q3"]
    response = skn.post(activity_url(activity), {**update_data(0), "evidence": _pdf()})
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert update.evidence and update.evidence_type == "application/pdf"
    path = f"{BASE}updates/{update.pk}/evidence/"
    assert path in skn.get(activity_url(activity)).text

    served = skn.get(path)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;") and ".pdf" in served["Content-Disposition"]
    assert b"".join(served.streaming_content) == PDF  # read to its end, the test client closes it

    observer = Client()
    signed_in(observer, UserFactory(is_national_observer=True))
    assert observer.get(path).status_code == 403
    assert path not in observer.get(activity_url(activity)).text  # no link to what they cannot open
    member = Client()
    signed_in(member, people["member"])
    served = member.get(path)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert member.post(path).status_code == 405


def test_an_update_without_evidence_has_no_file_to_serve(skn, monitored):
    update = StatusUpdate.objects.filter(council__municipality__slug="elbasan").first()
    assert skn.get(f"{BASE}updates/{update.pk}/evidence/").status_code == 404
    assert skn.get(f"{BASE}updates/987654/evidence/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused_and_the_rest_kept(skn, plan):
    disguised = _pdf("raport.pdf", b"<html><script>alert(1)</script></html>")
    response = skn.post(activity_url(plan.activities["q3"]), {**update_data(0), "evidence": disguised})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["evidence"]
    assert response.context["file_dropped"] and "Dy patrullime në javë pranë shkollës." in response.text
    assert not StatusUpdate.objects.exists()


# --- an indicator ------------------------------------------------------------------------------------


def test_the_indicator_page_lists_its_values_and_offers_the_periods_begun(skn, monitored):
    indicator = monitored.indicators["patrols"]  # quarterly: Q1 = 3, Q2 = 5
    response = skn.get(indicator_url(indicator))
    assert response.status_code == 200
    assert [value.value for value in response.context["values"]] == [Decimal("3"), Decimal("5")]
    form = response.context["form"]
    assert [code for code, _label in form.fields["period"].choices] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    revisions = dict(response.context["revisions"])
    assert revisions["2026-Q3"] == "" and revisions["2026-Q1"] == row_revision(
        IndicatorValue.objects.get(indicator_lineage=indicator.lineage, period="2026-Q1")
    )
    with translation.override("sq"):
        from monitoring.progress import period_label

        assert period_label("2026-Q1") in response.text


def test_a_value_is_recorded_and_corrected(skn, plan, people):
    indicator = plan.indicators["patrols"]
    path = indicator_url(indicator)
    saved = skn.post(path, {"period": "2026-Q2", "value": "4,5", "note": "", "revision_2026-Q2": ""})
    assert saved.status_code == 302 and saved["Location"] == path
    value = IndicatorValue.objects.get()
    assert (value.period, value.value, value.author) == ("2026-Q2", Decimal("4.5"), people["skn_police"])

    # "Correct" opens the form on that period's value.
    form = skn.get(path, {"period": "2026-Q2"}).context["form"]
    assert form.initial["period"] == "2026-Q2" and form.initial["value"] == Decimal("4.5")
    revision = row_revision(value)
    corrected = skn.post(
        path, {"period": "2026-Q2", "value": "6", "note": "U korrigjua.", "revision_2026-Q2": revision}
    )
    assert corrected.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.note) == (Decimal("6"), "U korrigjua.")
    assert IndicatorValue.objects.count() == 1


def test_a_correction_made_meanwhile_is_a_conflict_and_both_survive(plan, people):
    indicator = plan.indicators["patrols"]
    path = indicator_url(indicator)
    police, municipality = Client(), Client()
    signed_in(police, people["skn_police"])
    signed_in(municipality, people["skn_municipality"])
    opened = dict(police.get(path).context["revisions"])["2026-Q1"]
    assert opened == ""
    assert (
        police.post(path, {"period": "2026-Q1", "value": "3", "revision_2026-Q1": opened}).status_code == 302
    )
    refused = municipality.post(path, {"period": "2026-Q1", "value": "7", "revision_2026-Q1": opened})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert IndicatorValue.objects.get().value == Decimal("3")  # theirs stands
    assert 'value="7"' in refused.text  # what this user typed
    current = dict(refused.context["revisions"])["2026-Q1"]
    assert current == row_revision(IndicatorValue.objects.get())
    again = municipality.post(path, {"period": "2026-Q1", "value": "7", "revision_2026-Q1": current})
    assert again.status_code == 302 and IndicatorValue.objects.get().value == Decimal("7")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "2026-Q1", "value": "shumë"}, "value"),
        ({"period": "2026-Q1", "value": "1e400"}, "value"),
        ({"period": "2026-Q1", "value": ""}, "value"),
        ({"period": "2031-Q1", "value": "3"}, "period"),
        ({"period": "2026-Q4", "value": "3"}, "period"),  # not begun on 15 July
        ({"value": "3"}, "period"),
    ],
)
def test_a_bad_value_is_a_form_error(skn, plan, data, field):
    response = skn.post(indicator_url(plan.indicators["patrols"]), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not IndicatorValue.objects.exists()


def test_only_those_who_update_the_activity_record_values(client, plan, people, elbasan):
    indicator = plan.indicators["lessons"]  # of "h1", led by the school
    data = {"period": "2026-03", "value": "2"}
    for user in (people["member"], people["chair"], UserFactory(is_national_observer=True)):
        signed_in(client, user)
        page = client.get(indicator_url(indicator))
        assert page.status_code == 200 and "form" not in page.context
        assert client.post(indicator_url(indicator), data).status_code == 403
    assert not IndicatorValue.objects.exists()
    allow_members(elbasan)
    signed_in(client, people["member"])
    assert client.post(indicator_url(indicator), data).status_code == 302
    signed_in(client, people["member_health"])
    assert client.post(indicator_url(indicator), data).status_code == 403
    assert IndicatorValue.objects.get().author == people["member"]


# --- in a browser ------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_board_pages_pass_axe_and_the_html_checker(
    page, live_server, audit, html_checker, reference_data, monitored, people
):
    """The dashboard, an activity (as it opens, asking for the confirmation, after a conflict), an
    indicator (as it opens, after an error): axe-core in Chromium as the person sees them, the Nu
    HTML Checker on the HTML the server sent, no CSP violation."""
    from django.conf import settings

    from tests.fixtures.browser import validate_html

    client = signed_in(Client(), people["skn_police"])
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    activity, indicator = monitored.activities["every2"], monitored.indicators["patrols"]
    for path in (BASE, activity_url(activity), indicator_url(indicator)):
        page.goto(live_server.url + path)
        audit(page)

    # "Done" below 100 %: the confirmation appears, in the page as sent.
    page.goto(live_server.url + activity_url(activity))
    page.locator("[name=status]").select_option("done")
    page.locator("[name=progress]").fill("80")
    page.locator("form:has([name=progress]) button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("[name=confirm]").is_visible()
    assert not audit.serious_violations(page)
    seen = services.newest_update_id(activity)
    sent = client.post(activity_url(activity), update_data(seen, status="done", progress="80")).text
    assert validate_html(html_checker, sent) == []

    # Someone else saves meanwhile: the conflict, with their update in the timeline.
    record(activity, people["skn_municipality"], "in_progress", 30, TODAY, seen=seen)
    page.locator("[name=confirm]").check()
    page.locator("form:has([name=progress]) button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("tr.table-warning").count() == 1
    assert not audit.serious_violations(page)
    sent = client.post(activity_url(activity), update_data(seen)).text
    assert 'class="table-warning"' in sent and validate_html(html_checker, sent) == []

    # An indicator's value that is not a number.
    page.goto(live_server.url + indicator_url(indicator))
    page.locator("[name=value]").fill("shumë")
    page.locator("form:has([name=value]) button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".invalid-feedback").count() == 1
    assert not audit.serious_violations(page)
    sent = client.post(indicator_url(indicator), {"period": "2026-Q3", "value": "shumë"}).text
    assert validate_html(html_checker, sent) == []
    assert not audit.csp_violations
