"""load_demo is idempotent: a second run changes nothing, history included."""

import hashlib
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Concern, Consultation, Problem
from councils.models import Council
from kvsp.core.demo import DEMO_PASSWORD, DEMO_USERS
from kvsp.portal.where import where_problems
from monitoring import selectors
from monitoring.models import IndicatorValue, MonthlyReport, StatusUpdate
from plans.models import Activity, Indicator, Plan, PlanProblem, PlanVersion


def _row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"core", "councils", "meetings", "consultations", "plans", "monitoring", "notify"}
    }


def _living_year() -> dict[str, int]:
    """What the living year (monitoring/demo_living.py) adds on the day of the load, counted by hand
    from its calendar: Elbasan's plan meeting, SKN meetings up to last month and July council
    meeting; Belsh's SKN meetings until March and its plan's meeting of 26 February; the
    consultations of 19 November last year, 16 April and 15 October, each with three concerns, three
    groups and one problem. Only what has begun."""
    now, today = timezone.now(), timezone.localdate()

    def begun(month: int, day: int, hour: int = 10, year: int = today.year) -> int:
        return int(timezone.make_aware(datetime(year, month, day, hour)) < now)

    held = begun(11, 19, 17, today.year - 1) + begun(4, 16, 17) + begun(10, 15, 17)
    belsh = begun(2, 26)
    return {
        "meetings": 1 + (today.month - 1) + begun(7, 9) + (min(4, today.month) - 1) + belsh,
        "minutes": 1 + begun(7, 9) + belsh,
        "consultations": held,
        "concerns": 3 * held,
        "participation": 3 * held,
        "problems": held,
    }


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = _row_counts()
    call_command("load_demo", verbosity=0)
    assert _row_counts() == first
    User = get_user_model()
    for email, *_ in DEMO_USERS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert User.objects.get(email="admin@kvsp.demo").is_superuser
    assert first["core.HistoricalUser"] == len(DEMO_USERS)
    # The 2025 year of meetings, and the three council meetings that approved the plans (plans/demo.py):
    # Elbasan's 17 meetings of 2025 and of its plans, then 2022's compliance demo: Elbasan's twelve
    # SKN meetings and July council meeting (with minutes), Belsh's council meeting and three SKN
    # meetings, Librazhd's two council meetings and twelve SKN meetings. And Elbasan's next council
    # meeting, a week ahead, everyone with an address invited through the outbox; and its last
    # council meeting, twelve days before the load, whose minutes wait for the chair's approval. And
    # a task force ten days ahead, with two specialists from outside the council (one e-mailed).
    # And this year's (monitoring/demo_living.py).
    living = _living_year()
    assert first["meetings.Meeting"] == 17 + 13 + 4 + 14 + 1 + 1 + 1 + living["meetings"]
    assert first["meetings.Minutes"] == 17 + 1 + 1 + living["minutes"]
    assert first["meetings.Specialist"] == 2
    from councils.meetings.models import Minutes
    from councils.meetings.notices import MINUTES_SUBMITTED
    from kvsp.notify.models import Notification

    (waiting,) = Minutes.objects.exclude(status=Minutes.Status.APPROVED)
    assert waiting.status == Minutes.Status.SUBMITTED and waiting.meeting.decisions.count() == 2
    notices = Notification.objects.filter(kind=MINUTES_SUBMITTED, handled_at__isnull=True)
    assert [n.user.email for n in notices] == ["kryetari@elbasan.kvsp.demo"]
    from councils.meetings.invitations import MEETING_INVITATION
    from councils.meetings.models import Meeting
    from kvsp.notify.models import OutboxMessage

    ahead = Meeting.objects.get(status=Meeting.Status.PLANNED, kind=Meeting.Kind.COUNCIL)
    assert timezone.localtime(ahead.starts_at).date() == timezone.localdate() + timedelta(days=7)
    invited = ahead.invitations.count()
    assert invited >= 5 and ahead.agenda_agreed_by is not None
    sent = OutboxMessage.objects.filter(kind=MEETING_INVITATION)
    assert all(m.attachment_type == "text/calendar" for m in sent)
    # Everyone with an address is e-mailed once; two members without one are invited too, the
    # first reached by phone (the invitation step lists them with their letters).
    without_email = ahead.invitations.filter(person__email="")
    assert sent.count() == invited - 2 and without_email.count() == 2
    assert sorted(without_email.values_list("reached_by", flat=True)) == ["", "phone"]
    # Facts before approvals: no meeting of the demo is held before its start.
    assert not Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gt=timezone.now()).exists()
    # Two held consultations, one announced ahead and one in preparation; 14 + 3 concerns; six
    # problems, four in the plan. The compliance demo adds four held ones: Elbasan's June 2022 (four
    # groups), Belsh's and Librazhd's two (one group each). Elbasan's two held ones count twelve
    # groups each, local institutions and minorities among them.
    # The living year adds its held ones, each with three concerns grouped in a problem referred on.
    assert first["consultations.Consultation"] == 4 + 4 + living["consultations"]
    assert first["consultations.Participation"] == 24 + 4 + 1 + 2 + living["participation"]
    assert first["consultations.Concern"] == 17 + living["concerns"]
    assert first["consultations.Problem"] == 6 + living["problems"]
    assert first["consultations.ConcernContact"] >= 1
    assert Problem.objects.filter(outcome=Problem.Outcome.IN_PLAN).count() == 4
    assert (
        Consultation.objects.filter(status=Consultation.Status.HELD).count()
        == 2 + 4 + living["consultations"]
    )
    upcoming = Consultation.objects.get(status=Consultation.Status.ANNOUNCED)
    assert upcoming.starts_at > timezone.now()
    assert upcoming.concerns.filter(status=Concern.Status.RECEIVED).count() == 3
    # The guide's consultation: the SKN agreed the agenda, the three heads co-lead it; the held ones
    # record the SKN present; the one in preparation waits for the SKN's agreement.
    assert upcoming.agenda_agreed and upcoming.missing_heads == []
    for day in ("2021-11-18", "2022-01-20"):
        held = Consultation.objects.get(starts_at__date=day)
        assert held.skn_present.count() == 3 and held.agenda_agreed and held.mayor_name
    preparing = Consultation.objects.get(status=Consultation.Status.DRAFT)
    assert preparing.agenda_submitted_at and preparing.agenda_status == Consultation.AgendaStatus.DRAFT
    assert Concern.objects.filter(status=Concern.Status.REJECTED).count() == 1
    assert Concern.objects.filter(status=Concern.Status.MERGED).count() == 1
    assert Concern.objects.filter(redacted=True).count() == 2
    # A citizen's photo drawn at load time: one published with its concern, one awaiting moderation.
    with_photo = Concern.objects.exclude(photo="")
    assert sorted(with_photo.values_list("status", "photo_public")) == [
        ("published", True),
        ("received", False),
    ]
    # A year of monitoring on Elbasan's 2022 plan (monitoring/demo.py): 60 status updates, 67
    # indicator values and twelve monthly reports, each created, edited, submitted, approved and
    # published through the services (five history rows each).
    # (This year's replay of it is tested in tests/core/test_living_demo.py.)
    assert StatusUpdate.objects.filter(date__year=2022).count() == 60
    values = IndicatorValue.objects.filter(period__startswith="2022")
    assert values.count() == 67 and IndicatorValue.history.filter(period__startswith="2022").count() == 67
    assert MonthlyReport.objects.filter(year=2022).count() == 12
    assert MonthlyReport.history.filter(year=2022).count() == 60
    # Councils in different states of compliance in 2022 (monitoring/demo_compliance.py).
    from monitoring.compliance_data import national_records

    _councils, records, _first = national_records(2022)
    by_slug = {c.slug: records[c.council_id][2022] for c in _councils}
    # Elbasan's reports of 2022, approved the day the demo is loaded, are done late: not met.
    assert by_slug["elbasan"].check("reports").state == "late"
    assert (by_slug["elbasan"].met, by_slug["elbasan"].due) == (7, 8) and by_slug["elbasan"].comment
    assert by_slug["elbasan"].check("plan").state == "met"  # v1, approved on 16.12.2021
    # Its plan of 2021, approved on 11.02.2021, was due by 31 January: done late, with its date.
    elbasan_2021 = records[by_slug["elbasan"].council_id][2021].check("plan")
    assert elbasan_2021.state == "late" and elbasan_2021.figures["approved"] == date(2021, 2, 11)
    assert by_slug["belsh"].check("council_meetings").state == "not_met"
    assert by_slug["belsh"].check("council_meetings").figures["held"] == 1
    assert by_slug["librazhd"].check("plan").state == "not_met"
    assert by_slug["librazhd"].check("council_meetings").state == "met"
    assert sum(record.score is None for record in by_slug.values()) == 58


def _deadline(activity: Activity) -> tuple:
    deadline = activity.deadline  # its own, else its row's (the demo gives them once per row)
    return (deadline.kind, deadline.period, deadline.every_months)


@pytest.mark.django_db
def test_load_demo_builds_elbasans_plans_after_the_guide():
    call_command("load_demo", verbosity=0)
    plans = {plan.year: plan for plan in Plan.objects.filter(council__municipality__slug="elbasan")}
    assert sorted(plans) == [2021, 2022, timezone.localdate().year]  # and the living year's
    approved = PlanVersion.Status.APPROVED
    (only,) = plans[2021].versions.all()
    assert only.status == approved and only.decision_date.isoformat() == "2021-02-11"
    first, second, waiting = plans[2022].versions.order_by("number")
    assert first.status == approved and second.status == approved and second.based_on == first
    assert second.note
    # Version 3 waits for the chair's approval.
    assert waiting.status == PlanVersion.Status.SUBMITTED and waiting.based_on == second
    # Each approved by the recorded decision of a held council meeting of Elbasan, held after the
    # version was submitted, on the decision's day; v2 on 03.02.2022.
    for version in (only, first, second):
        decision = version.decision
        assert version.meeting == decision.meeting
        assert version.meeting.kind == "council" and version.meeting.status == "held"
        assert timezone.localtime(version.meeting.starts_at).date() == version.decision_date
        assert version.decision_number == f"{decision.number}/{decision.year}"
        assert version.submitted_at < version.meeting.starts_at
        assert version.meeting.minutes.is_approved
    assert second.decision_date.isoformat() == "2022-02-03"
    assert first.decision_date < second.decision_date
    for version in (only, first, second):
        assert list(version.problems.values_list("number", flat=True)) == ["1.2", "1.4", "1.5", "1.7"]

    rows = {p.number: p for p in second.problems.all()}
    assert rows["1.2"].priority == "moderate" and all(
        rows[n].priority == "high" for n in ("1.4", "1.5", "1.7")
    )
    assert rows["1.4"].title == "Konsumi i lëndëve narkotike, alkoolit, dhe duhanit nga të rinjtë"
    assert "63 raste" in rows["1.4"].statistics and "102 autorë" in rows["1.4"].statistics
    assert "56 raste" in rows["1.5"].statistics and rows["1.5"].statistics_source
    for number in ("1.5", "1.7"):
        assert "03 Shkurt 2022" in rows[number].provenance
    # The guide's deadlines, as data: "Çdo 2 muaj", "6 Mujori i parë", "Gjatë gjithë vitit".
    wanted = {
        "1.2": ("recurrence", "", 2),
        "1.4": ("period", "h1", None),
        "1.5": ("all_year", "", None),
        "1.7": ("period", "h1", None),
    }
    activities = {number: list(row.activities.all()) for number, row in rows.items()}
    assert {n: len(a) for n, a in activities.items()} == {"1.2": 3, "1.4": 3, "1.5": 4, "1.7": 4}
    for number, items in activities.items():
        assert {_deadline(a) for a in items} == {wanted[number]}
        assert all(a.indicators.exists() for a in items), number
    assert activities["1.4"][0].text.startswith("Zhvillimi i orëve edukative ligjore nga Prokuroria")
    assert activities["1.4"][0].lead.name.startswith("Prokuroria")
    assert activities["1.5"][3].partners.exists()
    assert Indicator.objects.filter(activity__problem__version=second, target__isnull=False).exists()
    # Who the rows and activities serve, and the pupils counted by sex (plans/demo_groups.py).
    assert (rows["1.4"].groups, rows["1.5"].groups) == (["children", "youth"], ["children", "women_girls"])
    assert activities["1.4"][0].groups == ["children", "youth"]
    assert activities["1.4"][2].groups == ["roma_egyptians"] and activities["1.2"][0].groups == []
    assert activities["1.5"][3].groups == ["children", "women_girls"]
    pupils = activities["1.4"][0].indicators.get(name="Nxënës që ndoqën orët edukative")
    assert pupils.disaggregation == "sex"
    # Where the problems are (plans/demo_units.py): the council page's chart has bars of both kinds.
    units = {number: row.unit.name if row.unit else None for number, row in rows.items()}
    assert units == {"1.2": None, "1.4": "Elbasan", "1.5": "Shushicë", "1.7": "Elbasan"}
    where = where_problems(Council.objects.get(municipality__slug="elbasan"))
    # The newest plan: the living year's, the guide's rows as revised in 2022.
    assert (where.plan_year, where.plan_version, where.rows_total) == (timezone.localdate().year, 1, 4)
    assert {"Elbasan", "Shushicë"} <= {unit.label for unit in where.units if unit.concerns}

    # Linked to the problems the SKN selected in the consultations: 1.2 and 1.4 from the autumn one
    # (already in v1), 1.5 and 1.7 from Shushicë (in v2, keeping their lineage from v1).
    selected = {p.outcome_note.split()[1]: p for p in Problem.objects.filter(outcome=Problem.Outcome.IN_PLAN)}
    assert {n: r.source_problem for n, r in rows.items()} == selected
    v1_rows = {p.number: p for p in first.problems.all()}
    assert v1_rows["1.2"].source_problem == selected["1.2"] and v1_rows["1.5"].source_problem is None
    assert v1_rows["1.2"].concerns.exists()
    assert all(v1_rows[n].lineage == rows[n].lineage for n in rows)
    assert len(activities["1.5"]) > v1_rows["1.5"].activities.count()
    # The Shushicë consultation is followed by the council meeting that approved version 2.
    shushice = Consultation.objects.get(starts_at__date="2022-01-20")
    assert shushice.follow_up_meeting == second.meeting
    assert plans[2022].publications.count() == 2
    open_rows = PlanProblem.objects.filter(version__status__in=PlanVersion.OPEN_STATUSES)
    # Elbasan's only open version is version 3 of 2022, waiting for the chair.
    elbasan_open = open_rows.filter(version__plan__council__municipality__slug="elbasan")
    assert {row.version_id for row in elbasan_open} == {waiting.pk}
    open_rows = open_rows.exclude(version=waiting)
    # Librazhd's plan of 2022 was never approved: its one row waits in a draft (compliance demo).
    assert list(open_rows.values_list("version__plan__council__municipality__slug", flat=True)) == [
        "librazhd"
    ]


@pytest.mark.django_db
def test_load_demo_monitors_elbasans_2022_plan_month_by_month(client):
    call_command("load_demo", verbosity=0)
    council = Council.objects.get(municipality__slug="elbasan")
    first, second = PlanVersion.objects.filter(plan__council=council, plan__year=2022).order_by("number")[:2]
    updates = StatusUpdate.objects.filter(council=council, date__year=2022)
    assert set(updates.values_list("author__email", flat=True)) == {
        "skn.bashkia@elbasan.kvsp.demo",
        "skn.policia@elbasan.kvsp.demo",
        "skn.prokuroria@elbasan.kvsp.demo",
    }
    # Updates before version 2's decision (03.02.2022) are on version 1's rows, later ones on version 2's.
    assert {u.activity.problem.version_id for u in updates.filter(date__lt=second.decision_date)} == {
        first.pk
    }
    assert {u.activity.problem.version_id for u in updates.filter(date__gte=second.decision_date)} == {
        second.pk
    }
    assert set(updates.values_list("date__month", flat=True)) == set(range(1, 13))
    sessions = updates.get(date="2022-02-24", author__email="skn.prokuroria@elbasan.kvsp.demo")
    assert sessions.note.startswith("U zhvilluan 4 seanca informuese në shkollat 9-vjeçare")

    board = selectors.board(second, date(2022, 12, 31))
    statuses = Counter(a.standing.status for a in board.activities)
    assert statuses == {"done": 7, "in_progress": 5, "delayed": 1, "cancelled": 1}
    by_key = {f"{p.number}.{n}": a for p in board.problems for n, a in enumerate(p.activities.all(), start=1)}
    # Meetings with NGOs every two months: the rounds ending in June and August were missed.
    assert by_key["1.2.2"].standing.missed == [date(2022, 6, 30), date(2022, 8, 31)]
    assert by_key["1.4.3"].standing.status == "cancelled" and not by_key["1.4.3"].standing.missed
    assert by_key["1.7.2"].standing.missed == [date(2022, 6, 30)]  # the cameras are late
    assert all(
        i.latest for a in board.activities for i in a.indicators.all() if a.standing.status != "cancelled"
    )

    reports = list(MonthlyReport.objects.filter(council=council, year=2022).order_by("year", "month"))
    assert [(r.year, r.month, r.status) for r in reports] == [(2022, m, "published") for m in range(1, 13)]
    # January reports on version 1, the plan in force until the council's decision of 03.02.2022.
    assert [r.plan_version for r in reports] == [first] + [second] * 11
    for report in reports:
        assert report.approved_by.email == "kryetari@elbasan.kvsp.demo"
        assert report.submitted_by.email == "skn.bashkia@elbasan.kvsp.demo" and report.summary
        assert report.content["narrative"]["difficulties"] and report.content["narrative"]["proposals"]
        with report.pdf.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == report.sha256
    # Each report froze the data of its month: January's knows January's updates only.
    january = {a["lineage"]: a for a in reports[0].content["activities"]}
    assert sum(1 for a in january.values() if a["updated_this_month"]) == 3
    assert all(a["status"] != "done" for a in january.values())
    december = reports[-1].content["activities"]
    assert sum(1 for a in december if a["status"] == "done") == 7
    assert {row["period"] for row in reports[2].content["indicators"]} >= {"2022-Q1", "2022-03"}
    # The pupils at the legal lessons are counted by sex: girls and boys add up to the total, and
    # the March report froze them.
    pupils = [
        row for row in reports[2].content["indicators"] if row["name"] == "Nxënës që ndoqën orët edukative"
    ]
    assert [(row["value"], row["breakdown"]) for row in pupils] == [("260", {"f": "137", "m": "123"})]

    page = client.get("/elbasan/reports/").content.decode()
    assert all(f'href="/elbasan/reports/2022/{m}/"' in page for m in range(1, 13))
