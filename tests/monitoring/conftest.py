"""Shared fixtures of the monitoring tests: Elbasan's council with a person in every role, an
approved plan of 2026 with activities of every kind of deadline, and a clock pinned to a day of
that year.

``clock`` pins today to 15 July 2026 (10:00 in Tirana; time still runs from there), so that the
hand-written dates of these tests stay in the past or the future whatever the real date is: every
fixture below that builds data depends on it. The plan (``plan``) is approved on that day at a
council meeting held the day before. ``monitored`` adds a fixed history of status updates and
indicator values to it (see its docstring for what each activity stands at).

The test transaction never commits, so the plan's PDF task (queued on commit) never runs.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from councils.meetings import services as meeting_services
from councils.models import Institution, Role
from monitoring import services
from plans import services as plan_services
from plans.models import Activity, Indicator, PlanVersion
from tests.builders import approve_by_decision
from tests.factories import UserFactory, council, give_role

YEAR = 2026
TODAY = date(2026, 7, 15)
NOW = datetime(2026, 7, 15, 10, 0, tzinfo=ZoneInfo("Europe/Tirane"))


@pytest.fixture
def clock(monkeypatch):
    """Today is 15 July 2026 for the code under test (``timezone.now``/``localdate``); the clock
    still runs, so rows saved one after the other get different times."""
    real_now = timezone.now
    offset = NOW - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
    assert timezone.localdate() == TODAY
    return TODAY


@pytest.fixture
def elbasan(db, clock):
    return council("elbasan")


@pytest.fixture
def people(elbasan):
    """Institutions of Elbasan's council and a user in every role (keys: ``chair``, ``secretary``,
    ``skn_municipality``, ``skn_police``, ``skn_prosecution``, ``member`` (the school directorate),
    ``member_health``, ``guest``; institutions: ``municipality``, ``police``, ``prosecution``,
    ``school``, ``health``, ``guest_institution``)."""
    institutions = {
        "municipality": Institution.objects.create(name="Bashkia Elbasan", category="a"),
        "police": Institution.objects.create(name="Drejtoria Vendore e Policisë Elbasan", category="c"),
        "prosecution": Institution.objects.create(name="Prokuroria e Rrethit Gjyqësor Elbasan", category="d"),
        "school": Institution.objects.create(name="Drejtoria Arsimore Rajonale Elbasan", category="e"),
        "health": Institution.objects.create(name="Qendra Shëndetësore Elbasan", category="e"),
        "guest_institution": Institution.objects.create(name="Shoqata Prindërit Elbasan", category="h"),
    }
    roles = [
        ("chair", Role.CHAIR, "municipality", "Gazmend Oketa"),
        ("secretary", Role.SECRETARY, "municipality", "Dorina Cela"),
        ("skn_municipality", Role.SKN_MUNICIPALITY, "municipality", "Elona Dervishi"),
        ("skn_police", Role.SKN_POLICE, "police", "Arben Hoxha"),
        ("skn_prosecution", Role.SKN_PROSECUTION, "prosecution", "Besa Kola"),
        ("member", Role.MEMBER, "school", "Ilir Basha"),
        ("member_health", Role.MEMBER, "health", "Mira Leka"),
        ("guest", Role.GUEST, "guest_institution", "Sokol Meta"),
    ]
    users = {}
    for key, role, institution, name in roles:
        users[key] = UserFactory(full_name=name)
        give_role(elbasan, role, user=users[key], institution=institutions[institution])
    return {**institutions, **users}


@pytest.fixture
def meeting(elbasan):
    """A public council meeting of Elbasan, held the day before ``TODAY``."""
    return meeting_services.meeting_create(
        council=elbasan,
        kind="council",
        starts_at=timezone.now() - timedelta(days=1),
        place="Salla e Këshillit",
    )


def approve(version: PlanVersion, people: dict, meeting) -> PlanVersion:
    """Submit (SKN) and approve (chair) a version, against ``meeting``."""
    return approve_by_decision(
        version, chair=people["chair"], meeting=meeting, submitted_by=people["skn_police"]
    )


@dataclass
class PlanData:
    """An approved version and its rows by key (see ``plan``)."""

    version: PlanVersion
    activities: dict[str, Activity] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def refreshed(self) -> "PlanData":
        """The same rows read again from the database (nothing cached on them)."""
        return PlanData(
            version=PlanVersion.objects.get(pk=self.version.pk),
            activities={key: Activity.objects.get(pk=row.pk) for key, row in self.activities.items()},
            indicators={key: Indicator.objects.get(pk=row.pk) for key, row in self.indicators.items()},
        )


def build_plan(elbasan, people) -> PlanData:
    """The draft of 2026 with three problems and six activities (see ``plan``)."""
    version = plan_services.plan_start(council=elbasan, year=YEAR)
    data = PlanData(version=version)
    drugs = plan_services.problem_add(
        version=version, number="1.1", title="Droga pranë shkollave", priority="high"
    )
    violence = plan_services.problem_add(
        version=version, number="1.2", title="Dhuna në familje", priority="moderate"
    )
    traffic = plan_services.problem_add(version=version, number="1.3", title="Trafiku", priority="low")
    rows = [
        # key, problem, text, lead, partners, deadline
        (
            "date",
            drugs,
            "Patrullime pranë shkollave",
            "police",
            ["school"],
            {"deadline_date": date(2026, 5, 31)},
        ),
        ("h1", drugs, "Orë edukative në shkolla", "school", [], {"deadline_period": "h1"}),
        ("q3", violence, "Fushatë ndërgjegjësimi", "municipality", [], {"deadline_period": "q3"}),
        ("every2", violence, "Takime me prindërit", "police", ["municipality"], {"deadline_every_months": 2}),
        ("all_year", traffic, "Kontrolle të shpejtësisë", "prosecution", [], {}),
        (
            "date_later",
            traffic,
            "Sinjalistikë pranë spitalit",
            "health",
            [],
            {"deadline_date": date(2026, 10, 31)},
        ),
    ]
    kinds = {"date": "date", "date_later": "date", "h1": "period", "q3": "period", "every2": "recurrence"}
    for key, problem, text, lead, partners, deadline in rows:
        data.activities[key] = plan_services.activity_add(
            problem=problem,
            text=text,
            lead=people[lead],
            partners=[people[p] for p in partners],
            deadline_kind=kinds.get(key, "all_year"),
            **deadline,
        )
    indicators = [
        ("patrols", "date", "Patrullime", "patrullime", Decimal("4"), Decimal("12"), "quarterly"),
        ("lessons", "h1", "Orë të zhvilluara", "orë", None, Decimal("10"), "monthly"),
        ("reach", "q3", "Familje të informuara", "familje", Decimal("0"), Decimal("500"), "semiannual"),
        ("meetings", "every2", "Takime", "takime", None, Decimal("6"), "annual"),
    ]
    for key, activity, name, unit, baseline, target, frequency in indicators:
        data.indicators[key] = plan_services.indicator_add(
            activity=data.activities[activity],
            name=name,
            unit=unit,
            baseline=baseline,
            target=target,
            frequency=frequency,
        )
    return data


@pytest.fixture
def plan(elbasan, people, meeting) -> PlanData:
    """Elbasan's plan of 2026, version 1, approved on ``TODAY``:

    | key        | problem       | lead         | partners     | deadline         | indicator            |
    | date       | 1.1 high      | police       | school       | by 31.05.2026    | patrols (quarterly)  |
    | h1         | 1.1 high      | school       |              | first six months | lessons (monthly)    |
    | q3         | 1.2 moderate  | municipality |              | third quarter    | reach (semiannual)   |
    | every2     | 1.2 moderate  | police       | municipality | every 2 months   | meetings (annual)    |
    | all_year   | 1.3 low       | prosecution  |              | all year         |                      |
    | date_later | 1.3 low       | health       |              | by 31.10.2026    |                      |
    """
    data = build_plan(elbasan, people)
    approve(data.version, people, meeting)
    return data.refreshed()


def record(activity, user, status, progress, day, **kwargs):
    """A status update through the service, as the form would send it."""
    return services.update_record(
        activity=activity, user=user, status=status, progress=progress, date=day, **kwargs
    )


# What ``monitored`` records: (activity key, date, status, progress).
UPDATES = [
    ("date", date(2026, 3, 1), "in_progress", 20),
    ("every2", date(2026, 2, 15), "in_progress", 10),
    ("date", date(2026, 5, 10), "in_progress", 60),
    ("every2", date(2026, 6, 5), "delayed", 10),
    ("h1", date(2026, 6, 25), "done", 100),
    ("date_later", date(2026, 7, 1), "cancelled", 0),
    ("q3", date(2026, 7, 10), "in_progress", 30),
]
# (indicator key, period, value)
VALUES = [
    ("patrols", "2026-Q1", Decimal("3")),
    ("patrols", "2026-Q2", Decimal("5")),
    ("lessons", "2026-06", Decimal("4.50")),
    ("reach", "2026-H1", Decimal("120")),
]


@pytest.fixture
def monitored(plan, people) -> PlanData:
    """The plan with a history of updates (by the police's SKN member) and values. On ``TODAY``:

    - date (due 31.05): in progress 60 % since 10.05 — overdue (31.05 missed);
    - h1 (due 30.06): done 25.06;
    - q3 (due 30.09): in progress 30 % since 10.07;
    - every2 (rounds end 28.02, 30.04, 30.06, ...): updated 15.02 and 05.06 (delayed, 10 %) — the
      round ending 30.04 was missed;
    - all_year: no update (not started);
    - date_later (due 31.10): cancelled 01.07.
    Values: patrols 2026-Q1 = 3, 2026-Q2 = 5; lessons 2026-06 = 4.50; reach 2026-H1 = 120.
    """
    for key, day, status, progress in UPDATES:
        record(plan.activities[key], people["skn_police"], status, progress, day)
    for key, period, value in VALUES:
        services.value_record(
            indicator=plan.indicators[key], user=people["skn_police"], period=period, value=value
        )
    return plan
