"""`load_demo`'s living year: the regulation's cycle of the current year, around the day the demo is
loaded (``timezone.localdate()``, read once at run time and passed down), so that the home page,
the national overview, the dashboards and "waiting for you" show a council that works and one that
struggles this year.
The guide's years (2021-2022, and the meetings of 2025) stay as they are.

Elbasan keeps the rhythm:

- its plan of the year, the guide's plan as revised in February 2022 (plans/demo.py), approved by a
  recorded decision of a held council meeting on 22 January (or, loaded before that day, on
  18 December of the year before: approved ahead of the year, which is on time too);
- a council meeting in July once it has come (the meetings demo adds the one twelve days before the
  load and the next one, a week ahead); an SKN meeting on the 20th of every month up to last month;
- an open consultation in November of the year before, in April and in October, each held once its
  day has passed, with the concerns raised at it (the consultations demo announces the next one);
- the guide's year of monitoring (monitoring/demo.py) replayed in this year: the status updates
  dated before today, the indicator values of the periods over, and a monthly report for every
  month that is over: approved and published, the last one submitted and waiting for the chair. A
  report is approved the day the demo is loaded (the services stamp the present, and an approved
  report never changes), so one whose deadline has passed counts as done late.

Belsh struggles: its plan approved late, in February (submitted by its technical secretary, the
agenda agreed by its SKN, the minutes written by the secretary and, with the plan, approved by its
chair); SKN meetings only until March; no consultation; no monthly report; its activities, due by
June, never updated (overdue).

Nothing is held before its start. Idempotent: meetings and consultations are found by their council
and start, the plans by their year, updates and values as monitoring/demo.py finds them, and a report
is taken from wherever it stands.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations.demo_categories import category_of
from councils.meetings.models import Meeting
from councils.models import AdministrativeUnit, Council
from plans import demo as plans_demo
from plans import services as plan_services
from plans.models import Plan, PlanVersion

from . import demo as year_demo
from .demo_compliance import _at, _attendees, _consultation, _meeting, _skn_months
from .models import IndicatorValue, MonthlyReport, StatusUpdate
from .progress import month_label

PLACE = "Salla e Këshillit Bashkiak, Elbasan"
SKN_PLACE = "Zyra e SKN-së, Bashkia Elbasan"
CONCERNS = [
    ("traffic", "Shpejtësia e makinave pranë shkollës së lagjes, sidomos në orët e mëngjesit."),
    ("hotspots", "Grupe të rinjsh mblidhen natën pranë stacionit të autobusëve dhe pinë alkool."),
    ("domestic_violence", "Gratë e fshatit nuk dinë ku të drejtohen për dhunën në familje."),
]
# A month's narrative in the living year: (summary, difficulties, proposals), with the month's name.
NARRATIVE = (
    "SKN-ja mblodhi përditësimet e institucioneve përgjegjëse për muajin {month} dhe vlerat e "
    "treguesve të periudhës; aktivitetet e planit ecin sipas kalendarit.",
    "Disa institucione i dërgojnë të dhënat me vonesë, pas mbledhjes mujore të SKN-së.",
    "Institucionet të dërgojnë të dhënat deri më datën 15 të muajit pasardhës.",
)
BELSH_PLACE = "Salla e mbledhjeve, Bashkia Belsh"
BELSH_CHAIR, BELSH_SECRETARY = "kryetari@belsh.kvsp.demo", "sekretari@belsh.kvsp.demo"
BELSH_INSTITUTIONS = ["Bashkia Belsh", "Komisariati i Policisë Belsh"]
BELSH_ACTIVITIES = [
    "Ndriçimi i rrugëve periferike të qytetit",
    "Patrullime të përbashkëta të policisë me policinë bashkiake gjatë natës",
]


def _held(starts_at) -> bool:
    return starts_at < timezone.now()


def plan_meeting_start(year: int):
    """When the council meeting that approves the year's plan sits: 22 January, or (loaded before
    it) 18 December of the year before."""
    january = _at(year, 1, 22)
    return january if _held(january) else _at(year - 1, 12, 18)


def load() -> int:
    """Create the living year's records once; returns how many were created."""
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".kvsp.demo")}
    people = year_demo._people()
    needed = ("sekretari@elbasan.kvsp.demo", BELSH_CHAIR, BELSH_SECRETARY, "skn.prokuroria@elbasan.kvsp.demo")
    if len(people) < 4 or any(email not in users for email in needed):
        return 0
    today = timezone.localdate()  # read once: every record of the load agrees on the day
    return _elbasan(today, users, people) + _belsh(today, users)


def _elbasan(today: date, users: dict, people: dict) -> int:
    year = today.year
    council = Council.objects.select_related("municipality").get(municipality__slug="elbasan")
    chair, secretary = users[year_demo.CHAIR], users["sekretari@elbasan.kvsp.demo"]
    attendees = _attendees(council)
    created = _plan(council, year, chair, secretary)
    created += _skn_months(council, range(1, today.month), attendees, SKN_PLACE, year)
    july = _at(year, 7, 9)
    if _held(july):
        created += _meeting(
            council,
            Meeting.Kind.COUNCIL,
            july,
            PLACE,
            ["Raporti gjashtëmujor i monitorimit", "Rezultatet e takimit të hapur konsultues të prillit"],
            attendees,
            title=f"Raporti gjashtëmujor i monitorimit të planit {year}",
            chair=chair,
            author=secretary,
        )
    for starts_at, place in (
        (_at(year - 1, 11, 19, 17), "Pallati i Kulturës “Aleksandër Moisiu”, Elbasan"),
        (_at(year, 4, 16, 17), "Shkolla 9-vjeçare “Naim Frashëri”, Elbasan"),
        (_at(year, 10, 15, 17), "Qendra komunitare Shushicë"),
    ):
        if _held(starts_at):
            counts = {"schools_parents": (8, 6, 0), "youth": (5, 7, 1), "other_citizens": (9, 12, 1)}
            created += _consultation(council, starts_at, place, counts, CONCERNS)
    created += _monitoring(council, today, people)
    return created


def _plan(council, year: int, chair, secretary) -> int:
    """The year's plan: the guide's rows as revised in 2022, approved at a held council meeting."""
    if Plan.objects.filter(council=council, year=year).exists():
        return 0
    starts_at = plan_meeting_start(year)
    created = _meeting(
        council,
        Meeting.Kind.COUNCIL,
        starts_at,
        PLACE,
        [
            f"Rezultatet e takimit të hapur konsultues të nëntorit {year - 1}",
            f"Plani shumaktorial vendor {year}",
        ],
        _attendees(council),
        title=f"Miratimi i planit shumaktorial vendor {year}",
        chair=chair,
    )
    meeting = Meeting.objects.get(council=council, kind=Meeting.Kind.COUNCIL, starts_at=starts_at)
    version = plan_services.plan_start(council=council, year=year)
    institutions = plans_demo._institutions(council)
    targets = plans_demo._targets(council)
    for spec in plans_demo.PLAN_2022:
        created += plans_demo._row(version, spec, institutions, targets, None)
    for problem in version.problems.all():
        changes, activities = plans_demo.REVISION_2022.get(problem.number, ({}, []))
        plan_services.problem_update(problem=problem, **changes)
        created += plans_demo._add_activities(problem, activities, institutions, targets)
    plans_demo.approve_at_meeting(
        version,
        meeting,
        submitted_by=secretary,
        chair=chair,
        minutes_by=secretary,
        text=f"Miratohet plani shumaktorial vendor për parandalimin e krimit për vitin {year}.",
    )
    return created + 2


def _shifted(year: int) -> list[dict]:
    """The guide's status updates of 2022, replayed in ``year`` (the years their notes name too)."""
    rows = year_demo._planned_updates()
    for row in rows:
        row["date"] = row["date"].replace(year=year)
        row["note"] = row["note"].replace("2022", str(year)).replace("2021", str(year - 1))
    return rows


def _monitoring(council, today: date, people: dict) -> int:
    year = today.year
    version = (
        PlanVersion.objects.published()
        .filter(plan__council=council, plan__year=year)
        .order_by("number")
        .last()
    )
    if version is None:
        return 0
    current = year_demo._activities(version)
    units = AdministrativeUnit.objects.filter(municipality=council.municipality).count()
    recorded = set(StatusUpdate.objects.filter(council=council).values_list("activity_lineage", "date"))
    measured = set(IndicatorValue.objects.filter(council=council).values_list("indicator_lineage", "period"))
    reports = {r.month: r for r in MonthlyReport.objects.filter(council=council, year=year)}
    # Updates from the day the plan is in force to yesterday.
    planned = [
        row for row in _shifted(year) if max(version.decision_date, date(year, 1, 1)) <= row["date"] < today
    ]
    created = 0
    for month in range(1, today.month + 1):
        created += year_demo._updates(month, planned, current, {}, version, recorded, people)
        if month == today.month:
            break  # the month runs: its values and its report are not due yet
        created += year_demo._values(month, current, measured, units, people, year)
        summary, difficulties, proposals = NARRATIVE
        narrative = (summary.format(month=month_label(year, month)), difficulties, proposals)
        created += year_demo._report(
            council,
            month,
            reports.get(month),
            people,
            year=year,
            narrative=narrative,
            waiting=month == today.month - 1,
        )
    return created


def _belsh(today: date, users: dict) -> int:
    """Belsh's struggling year: a plan approved late, SKN meetings until March, nothing more. Its
    people do their own parts: the technical secretary submits the plan and writes the minutes, the
    SKN (its prosecution seat) agrees the council meeting's agenda, the chair approves both."""
    year = today.year
    council = Council.objects.get(municipality__slug="belsh")
    attendees = _attendees(council)
    created = _skn_months(council, range(1, min(4, today.month)), attendees, BELSH_PLACE, year)
    if Plan.objects.filter(council=council, year=year).exists():
        return created
    starts_at = _at(year, 2, 26)
    if not _held(starts_at):
        return created  # loaded before its day: the plan is still to be approved (and not yet due)
    chair, secretary = users[BELSH_CHAIR], users[BELSH_SECRETARY]
    created += _meeting(
        council,
        Meeting.Kind.COUNCIL,
        starts_at,
        BELSH_PLACE,
        [f"Plani shumaktorial vendor {year}"],
        attendees,
        title=f"Miratimi i planit shumaktorial vendor {year}",
        chair=chair,
        agreed_by=users["skn.prokuroria@elbasan.kvsp.demo"],
    )
    meeting = Meeting.objects.get(council=council, kind=Meeting.Kind.COUNCIL, starts_at=starts_at)
    version = plan_services.plan_start(council=council, year=year)
    seats = {s.institution.name: s.institution for s in council.seats.active().select_related("institution")}
    problem = plan_services.problem_add(
        version=version,
        number="1.1",
        title="Vjedhjet në banesa në zonat periferike",
        category=category_of("Vjedhjet në banesa"),
        priority="high",
        institutions=[seats[name] for name in BELSH_INSTITUTIONS if name in seats],
        **plans_demo.FIRST_HALF,
    )
    for text in BELSH_ACTIVITIES:
        plan_services.activity_add(problem=problem, text=text)
    plans_demo.approve_at_meeting(version, meeting, submitted_by=secretary, chair=chair, minutes_by=secretary)
    return created + 4
