"""What plans and monitoring put in "waiting for you" (plans/waiting.py, monitoring/waiting.py):
a submitted plan version or report waits for the chair (their approval rules), a returned one for
the SKN and the technical secretary (their editing permissions), and this month's status updates
for whoever may update the activities (``monitoring.update_activity``). The right people see each
item, the others nothing, and a handled item leaves the list."""

from datetime import timedelta

import pytest
import rules
from django.utils import timezone

from councils.models import Council
from councils.waiting import waiting_for
from monitoring import services as monitoring_services
from monitoring.models import MonthlyReport
from plans.models import Activity, PlanVersion

pytestmark = pytest.mark.django_db

EVERYONE = ("chair", "secretary", "skn", "skn2", "member", "guest")


def kinds(user, kind) -> list:
    return [item for item in waiting_for(user) if item.kind == kind]


def who_sees(people, kind) -> set[str]:
    return {key for key in EVERYONE if kinds(people[key], kind)}


@pytest.fixture
def elbasan(seat):
    return seat("elbasan")


def year() -> int:
    return timezone.localdate().year


# --- plans ----------------------------------------------------------------------------------------


def test_a_submitted_plan_waits_for_the_chair(elbasan, make):
    version = make.version(elbasan, year() + 1, status="submitted")
    assert who_sees(elbasan, "plan_to_approve") == {"chair"}
    assert {k for k in EVERYONE if rules.test_rule("plans.approve_plan", elbasan[k], version)} == {"chair"}
    item = kinds(elbasan["chair"], "plan_to_approve")[0]
    assert item.url == f"/app/elbasan/plans/{year() + 1}/v1/approve/"
    assert item.since == version.submitted_at
    assert str(year() + 1) in item.text


def test_a_returned_plan_waits_for_the_skn_and_the_secretary_until_submitted_again(elbasan, make):
    version = make.version(elbasan, year() + 1, returned="Shtoni treguesit.")
    assert who_sees(elbasan, "plan_returned") == {"secretary", "skn", "skn2"}
    editors = {k for k in EVERYONE if elbasan[k].has_perm("plans.edit_plan", version)}
    assert editors == {"secretary", "skn", "skn2"}
    item = kinds(elbasan["skn"], "plan_returned")[0]
    assert item.url == f"/app/elbasan/plans/{year() + 1}/v1/"
    # A draft never returned waits for nobody.
    make.version(elbasan, year() + 2)
    assert len(kinds(elbasan["skn"], "plan_returned")) == 1
    PlanVersion.objects.filter(pk=version.pk).update(status="submitted", submitted_at=timezone.now())
    assert who_sees(elbasan, "plan_returned") == set()
    assert who_sees(elbasan, "plan_to_approve") == {"chair"}


# --- reports --------------------------------------------------------------------------------------


def test_a_submitted_report_waits_for_the_chair_until_approved(elbasan, make):
    make.version(elbasan, year(), status="approved")
    report = make.report(elbasan, 1, status=MonthlyReport.Status.SUBMITTED)
    assert who_sees(elbasan, "report_to_approve") == {"chair"}
    item = kinds(elbasan["chair"], "report_to_approve")[0]
    assert item.url == f"/app/elbasan/monitoring/reports/{year()}/1/approve/"
    monitoring_services.report_approve(report=report, user=elbasan["chair"])
    assert who_sees(elbasan, "report_to_approve") == set()


def test_a_returned_report_waits_for_the_skn_and_the_secretary(elbasan, make):
    report = make.report(elbasan, 2, status=MonthlyReport.Status.RETURNED)
    assert who_sees(elbasan, "report_returned") == {"secretary", "skn", "skn2"}
    assert {k for k in EVERYONE if elbasan[k].has_perm("monitoring.edit_report", report)} == {
        "secretary",
        "skn",
        "skn2",
    }
    item = kinds(elbasan["secretary"], "report_returned")[0]
    assert item.url == f"/app/elbasan/monitoring/reports/{year()}/2/"
    assert item.since == report.returned_at
    monitoring_services.report_submit(report=report, user=elbasan["skn"])
    assert who_sees(elbasan, "report_returned") == set()
    assert who_sees(elbasan, "report_to_approve") == {"chair"}


# --- this month's status updates ----------------------------------------------------------------


def _due(user) -> int:
    items = kinds(user, "updates_due")
    assert len(items) <= 1
    return int(items[0].text.split()[0]) if items else 0


def test_status_updates_due_this_month_for_the_skn(elbasan, make):
    version = make.version(elbasan, year(), status="approved")
    first, second = Activity.objects.filter(problem__version=version).order_by("position")
    assert who_sees(elbasan, "updates_due") == {"skn", "skn2"}
    item = kinds(elbasan["skn"], "updates_due")[0]
    assert _due(elbasan["skn"]) == 2
    assert item.url == "/app/elbasan/monitoring/"
    assert item.since == timezone.localdate().replace(day=1)
    assert "2 activities wait" in item.text

    make.update(elbasan, first)  # updated this month
    assert _due(elbasan["skn"]) == 1
    make.update(elbasan, second, status="done", day=timezone.localdate().replace(day=1) - timedelta(days=3))
    # Done last month: nothing to update any more.
    assert who_sees(elbasan, "updates_due") == set()


def test_an_update_of_last_month_does_not_count_for_this_one(elbasan, make):
    version = make.version(elbasan, year(), status="approved")
    first = Activity.objects.filter(problem__version=version).order_by("position").first()
    make.update(elbasan, first, day=timezone.localdate().replace(day=1) - timedelta(days=1))
    assert _due(elbasan["skn"]) == 2


def test_members_see_their_institutions_activities_where_the_council_allows_it(elbasan, make):
    version = make.version(elbasan, year(), status="approved")
    assert "member" not in who_sees(elbasan, "updates_due")
    Council.objects.filter(pk=elbasan["council"].pk).update(members_update_own_activities=True)
    # The school directorate partners in one activity of the two.
    assert _due(elbasan["member"]) == 1
    partnered = Activity.objects.get(problem__version=version, position=2)
    other = Activity.objects.get(problem__version=version, position=1)
    member = elbasan["member"]
    assert member.has_perm("monitoring.update_activity", partnered)
    assert not member.has_perm("monitoring.update_activity", other)
    assert "guest" not in who_sees(elbasan, "updates_due")
    make.update(elbasan, partnered)
    assert _due(member) == 0


def test_no_update_is_due_without_a_plan_in_force(elbasan, make):
    make.version(elbasan, year() - 1, status="approved")  # last year's
    make.version(elbasan, year(), status="submitted")  # not approved yet
    assert who_sees(elbasan, "updates_due") == set()


def test_another_councils_plans_and_reports_are_not_listed(seat, make):
    elbasan, belsh = seat("elbasan"), seat("belsh")
    make.version(belsh, year(), status="approved")
    make.version(belsh, year() + 1, status="submitted")
    make.report(belsh, 3, status=MonthlyReport.Status.SUBMITTED)
    make.report(belsh, 4, status=MonthlyReport.Status.RETURNED)
    for key in EVERYONE:
        assert waiting_for(elbasan[key]) == []
