"""bench/compliance.py's data: a throwaway PostgreSQL database on loopback (``create_database``,
``drop_database``; bench/reminders.py uses them too) and three years of records of every
established council (``seed_small``), grown to about ten times the rows the checks read (``grow``).
Through the services where a benchmark's volume allows, bulk inserts where it does not (each
function says which).
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

COUNCILS = 61
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
GROWTH = 9  # the large set adds nine times the small set's meetings, consultations and updates

# Appended to plan_page.py's settings: PostgreSQL instead of its SQLite file. Plan PDFs are not
# rendered at approval (183 of them would take minutes; nothing here reads them): the task goes to
# the in-memory broker and waits there.
POSTGRES = """
DATABASES = {databases}
CELERY_TASK_ALWAYS_EAGER = False
"""

FLAWS = 8  # each council's year has at most one flaw, in turn (0: keeps the whole rhythm)
NO_SKN, ONE_CONSULTATION, LATE_PLAN, MISSING_REPORTS, ABSENT, OVERDUE, UNANSWERED = range(1, 8)


def _flaw(k: int, year: int) -> int:
    return (k + year) % FLAWS


def _at(day: date, hour: int = 10) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


# --- the database -------------------------------------------------------------------------------


def create_database(admin_url: str, prefix: str = "kvsp_bench_compliance") -> dict:
    """A new, empty database ``<prefix>_<random>`` on the server of ``admin_url`` (loopback only):
    its Django settings."""
    import environ
    import psycopg
    from psycopg import sql

    if urlsplit(admin_url).hostname not in LOOPBACK:
        raise SystemExit(f"{admin_url}: not a loopback address")
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    config = environ.Env.db_url_config(admin_url)
    config.update(NAME=name, CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True, ATOMIC_REQUESTS=False)
    return config


def drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def migrate_into(database: dict, tmp, processes: list) -> dict:
    """The benchmark's settings (bench/plan_page.prepare) on ``database``, Django set up, the
    migrations run and the static files collected: the environment for the servers it starts."""
    import django
    from django.core.management import call_command

    from bench.plan_page import prepare

    env, cache_name = prepare(tmp, processes, POSTGRES.format(databases=repr({"default": database})))
    django.setup()
    print(f"database: PostgreSQL {database['NAME']} on {database['HOST']}; cache: {cache_name}")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return env


def end_database(database: dict | None, admin_url: str, *, keep: bool) -> None:
    """Drop the benchmark's database (its connections closed first), or say that it is kept."""
    import sys

    if database is None:
        return
    if keep:
        print(f"kept database {database['NAME']}")
        return
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    drop_database(admin_url, database["NAME"])


def _council_people(council, k: int, founded: date) -> list:
    """Five member institutions, each with one person (the first is the chair, the second the
    SKN's municipality seat), through councils.services: [(person, institution)]."""
    from councils import services
    from councils.models import Role

    town = council.municipality.name
    names = [
        (f"Bashkia {town}", "a"),
        (f"Drejtoria Vendore e Policisë {town}", "c"),
        (f"Prokuroria e Rrethit Gjyqësor {town}", "d"),
        (f"Zyra Arsimore Vendore {town}", "f"),
        (f"Drejtoria e Shëndetit Publik {town}", "g"),
    ]
    roles = [Role.CHAIR, Role.SKN_MUNICIPALITY, Role.MEMBER, Role.MEMBER, Role.MEMBER]
    people = []
    for i, ((name, category), role) in enumerate(zip(names, roles, strict=True)):
        seat = services.seat_add(council=council, name=name, category=category, start_date=founded)
        membership = services.membership_add(
            council=council,
            institution=seat.institution,
            role=role,
            full_name=f"Anëtari {i + 1} {town}",
            email=f"anetari{i + 1}@k{k}.bench",
            start_date=founded,
        )
        people.append((membership.person, seat.institution))
    return people


def _council_meeting(council, day: date, people, absent: bool):
    """A council meeting, held: its attendance recorded (one institution absent if ``absent``)."""
    from councils.meetings import services
    from councils.meetings.models import Attendance

    meeting = services.meeting_create(
        council=council,
        kind="council",
        starts_at=_at(day),
        place=f"Salla e Këshillit Bashkiak, {council.municipality.name}",
    )
    entries = []
    for i, (person, institution) in enumerate(people):
        status = Attendance.Status.REPRESENTED if i == 2 else Attendance.Status.PRESENT
        if absent and i == 4:
            status = Attendance.Status.ABSENT
        entries.append((person, institution, status, "Zëvendësi" if i == 2 else ""))
    return services.attendance_record(meeting=meeting, entries=entries)


def _consultation(council, day: date, answered: bool, institution):
    """A consultation announced and held (its participation recorded), with one problem the SKN
    assessed (an outcome decided unless not ``answered``), through the consultations' services."""
    from consultations import lifecycle, services
    from consultations.models import Problem

    consultation = lifecycle.consultation_create(
        council=council,
        starts_at=_at(day, 17),
        place=f"Pallati i Kulturës, {council.municipality.name}",
        agenda="Ecuria e planit shumaktorial vendor\nShqetësimet e banorëve",
    )
    lifecycle.consultation_agenda_agree(consultation=consultation, user=None)  # the SKN, after the fact
    lifecycle.consultation_announce(consultation=consultation, without_heads=True)
    lifecycle.participation_record(
        consultation=consultation, counts={"village_heads": (3, 8, 0), "schools_parents": (17, 12, 1)}
    )
    problem = services.problem_create(consultation=consultation, title="Drita në rrugët pranë shkollave")
    if answered:
        services.problem_assess(
            problem=problem,
            title=problem.title,
            institutions=[institution],
            outcome=Problem.Outcome.REFERRED,
            outcome_note="Iu përcoll Bashkisë për ndriçimin publik.",
        )
    return consultation, problem


def _plan(council, year: int, people, meeting, decided: date, user, indicators: bool = False) -> list:
    """The year's plan, 2 problems and 6 activities (each with a quarterly indicator if
    ``indicators``), submitted and approved at ``meeting``, through plans.services: its activities."""
    from plans import services
    from plans.demo import approve_at_meeting

    institutions = [institution for _person, institution in people]
    deadlines = [
        {"deadline_kind": "date", "deadline_date": date(year, 6, 30)},
        {"deadline_kind": "period", "deadline_period": "h2"},
        {"deadline_kind": "all_year"},
        {"deadline_kind": "period", "deadline_period": "q3"},
        {"deadline_kind": "recurrence", "deadline_every_months": 3},
        {"deadline_kind": "date", "deadline_date": date(year, 10, 31)},
    ]
    version = services.plan_start(council=council, year=year)
    activities = []
    for p in range(2):
        problem = services.problem_add(
            version=version,
            number=f"1.{p + 1}",
            title=f"Problemi {p + 1}: përdorimi i drogës te të rinjtë pranë shkollave",
            description="Raste të shpeshta të shitjes dhe përdorimit të drogës pranë shkollave të mesme.",
            priority=("high", "moderate")[p],
        )
        for a in range(3):
            activities.append(
                services.activity_add(
                    problem=problem,
                    text=f"Aktiviteti {a + 1}: orë edukative ligjore me nxënësit dhe prindërit",
                    lead=institutions[(p + a) % 5],
                    partners=[institutions[(p + a + 1) % 5]],
                    **deadlines[3 * p + a],
                )
            )
            if indicators:
                services.indicator_add(
                    activity=activities[-1],
                    name="Numri i orëve të zhvilluara",
                    unit="orë",
                    baseline=0,
                    target=12,
                    frequency="quarterly",
                )
    approve_at_meeting(version, meeting, submitted_by=user, chair=user)
    return activities


def _updates(activities, year: int, end: date, flaw: int, user) -> int:
    """Two status updates per activity (spring and autumn) through monitoring.services.update_record."""
    from monitoring import services

    made = 0
    for a, activity in enumerate(activities):
        steps = [(date(year, 3, 15), "in_progress", 40)]
        if flaw == OVERDUE:
            steps.append((date(year, 9, 15), "delayed" if a % 2 else "not_started", 40 if a % 2 else 0))
            if not a % 2:
                steps = steps[1:]
        elif a % 3 == 2:
            steps.append((date(year, 9, 15), "in_progress", 80))
        else:
            steps.append((date(year, 9, 15), "done", 100))
        for day, status, progress in steps:
            if day <= end:
                services.update_record(
                    activity=activity,
                    user=user,
                    status=status,
                    progress=progress,
                    date=day,
                    note="U zhvilluan takimet e planifikuara me shkollat dhe prindërit.",
                )
                made += 1
    return made


def _concerns(council, consultation, problem, count: int) -> list:
    """``count`` concerns raised at the consultation, published, all but one grouped under its
    problem (not saved)."""
    from consultations.models import Concern
    from consultations.services import new_code

    return [
        Concern(
            council=council,
            consultation=consultation,
            code=new_code(),
            source=Concern.Source.ORAL,
            category=Concern.Category.SCHOOL_SAFETY,
            text="Mungon ndriçimi në rrugën e shkollës.",
            public_text="Mungon ndriçimi në rrugën e shkollës.",
            status=Concern.Status.PUBLISHED,
            problem=problem if i else None,
        )
        for i in range(count)
    ]


def _reports(council, year: int, today: date, since: date, flaw: int, user) -> list:
    """The year's monthly reports as the SKN and the chair leave them (not saved): approved
    (most published) once due, the last months submitted or being written."""
    from monitoring.compliance import month_end
    from monitoring.models import MonthlyReport

    Status = MonthlyReport.Status
    rows = []
    for month in range(1, 13):
        start = date(year, month, 1)
        if start > today or month_end(year, month) < since:
            continue
        if flaw == MISSING_REPORTS and month in (5, 9):
            continue
        approved_on = month_end(year, month) + timedelta(days=10)
        row = MonthlyReport(
            council=council,
            year=year,
            month=month,
            summary="U zhvilluan 4 seanca informuese në shkollat 9-vjeçare.",
            status=Status.DRAFT,
        )
        if approved_on < today:
            content = {"bench": f"{council.pk}-{year}-{month}"}
            row.status = Status.PUBLISHED if month % 4 else Status.APPROVED
            row.submitted_at = row.approved_at = _at(approved_on)
            row.published_at = row.approved_at if row.status == Status.PUBLISHED else None
            row.submitted_by = row.approved_by = user
            row.content = content
            row.sha256 = hashlib.sha256(repr(content).encode()).hexdigest()
        elif month_end(year, month) < today:
            row.status, row.submitted_at, row.submitted_by = Status.SUBMITTED, _at(today), user
        rows.append(row)
    return rows


def seed_small(today: date) -> dict:
    """Three years of records of every established council. Through the services: the members,
    council meetings and their attendance, consultations and their problems, plans approved at a
    meeting, status updates and a comment. With bulk inserts, for their volume:

    - SKN meetings (12 a year per council, about 2,000): meeting_create and attendance_record are
      a transaction each and add nothing the checks read beyond the meeting row;
    - monthly reports (about 1,800): report_approve renders and stores a PDF, about a second each
      (bench/monitoring.py), half an hour for all; the rows are written as the services leave them
      (approved with a frozen content and its SHA-256, published, submitted, draft), without a PDF;
    - concerns (5 per consultation): concern_submit is one row and one code each; they are made
      published, grouped under the consultation's problem, as moderation leaves them.
    """
    from django.contrib.auth import get_user_model

    from consultations.models import Concern
    from councils.meetings.models import Meeting
    from councils.models import Council
    from monitoring import services
    from monitoring.models import MonthlyReport

    user = get_user_model().objects.create_user(
        email="skn@compliance.bench", full_name="Elona Dervishi", language="sq"
    )
    councils = list(Council.objects.select_related("municipality").order_by("municipality__name"))
    if len(councils) != COUNCILS:
        raise SystemExit(f"{len(councils)} councils after the migrations, not {COUNCILS}")
    years = range(today.year - 2, today.year + 1)
    data = {"user": user, "years": years, "councils": {}, "silent": 0, "updates": 0}
    skn, concerns, reports = [], [], []
    for k, council in enumerate(councils):
        if k % 9 == 4:  # not established: nothing recorded, nothing failing
            data["silent"] += 1
            continue
        # Most councils were founded the year before the first; every tenth during the second year.
        founded = date(years[1], 3, 1) if k % 10 == 6 else date(years[0] - 1, 6, 1)
        # No service sets a council's founding (the admin's form does): a plain update.
        Council.objects.filter(pk=council.pk).update(
            status=Council.Status.ACTIVE,
            founding_decision_number=f"{k + 1}/{founded.year}",
            founding_decision_date=founded,
            founding_decision_body=f"Kryetari i Bashkisë {council.municipality.name}",
        )
        people = _council_people(council, k, founded)
        mine = data["councils"][council.pk] = {
            "council": council,
            "people": people,
            "activities": [],
            "meetings": [],
            "consultations": [],
        }
        for year in years:
            if date(year, 12, 31) < founded:
                continue
            flaw = _flaw(k, year)
            end = min(today, date(year, 12, 31))
            since = max(founded, date(year, 1, 1))
            first = max(
                date(year, 2, 15) if flaw == LATE_PLAN else date(year, 1, 20), since + timedelta(days=20)
            )
            meeting = _council_meeting(council, first, people, absent=flaw == ABSENT)
            july = _council_meeting(council, date(year, 7, 10), people, absent=flaw == ABSENT)
            mine["meetings"] += [meeting, july]
            activities = _plan(council, year, people, meeting, first, user)
            mine["activities"] += activities
            data["updates"] += _updates(activities, year, end, flaw, user)
            days = [date(year, 4, 15), date(year, 10, 15)][: 1 if flaw == ONE_CONSULTATION else 2]
            for day in days:
                if since <= day < today:
                    consultation, problem = _consultation(
                        council, day, answered=flaw != UNANSWERED, institution=people[0][1]
                    )
                    mine["consultations"].append((consultation, problem))
                    concerns += _concerns(council, consultation, problem, 5)
            for month in range(1, 13):
                day = date(year, month, 20)
                if day < since or (flaw == NO_SKN and month in (3, 8)):
                    continue
                held = day < today
                skn.append(
                    Meeting(
                        council=council,
                        kind=Meeting.Kind.SKN,
                        starts_at=_at(day, 9),
                        place="Zyra e SKN-së",
                        restricted=True,
                        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                    )
                )
            reports += _reports(council, year, today, since, flaw, user)
        if k % 3 == 0:
            services.compliance_comment_save(
                council=council,
                year=years[1],
                text="Mbledhja e SKN-së e gushtit u mbajt pas pushimeve, me të tre anëtarët.",
                user=user,
                revision=None,
            )
    Meeting.objects.bulk_create(skn, batch_size=1000)
    Concern.objects.bulk_create(concerns, batch_size=1000)
    MonthlyReport.objects.bulk_create(reports, batch_size=1000)
    return data


def grow(data: dict, today: date) -> None:
    """The large set: nine times more of what the checks read, with bulk inserts (some 70,000
    rows; through the services it would take many minutes): for each council and year, 9 more
    SKN meetings a month, 18 extraordinary council meetings with everyone's attendance, 18 more
    consultations held (each with a problem and 5 concerns) and 18 more status updates per
    activity, dated before its own ones."""
    from consultations.models import Concern, Consultation, Problem
    from councils.meetings.models import Attendance, Meeting
    from monitoring.models import StatusUpdate

    meetings, attending, consultations, problems, concerns, updates = [], [], [], [], [], []
    for mine in data["councils"].values():
        council, people = mine["council"], mine["people"]
        for year in data["years"]:
            if not any(m.starts_at.year == year for m in mine["meetings"]):
                continue  # founded later
            for month in range(1, 13):
                for n in range(GROWTH):
                    day = date(year, month, 2 + 2 * n)
                    if day < today:
                        meetings.append(
                            Meeting(
                                council=council,
                                kind=Meeting.Kind.SKN,
                                starts_at=_at(day, 9),
                                place="Zyra e SKN-së",
                                restricted=True,
                                status=Meeting.Status.HELD,
                            )
                        )
            for n in range(2 * GROWTH):
                day = date(year, 1 + n * 11 // (2 * GROWTH), 5 + n % 3)
                if day < today:
                    meetings.append(
                        Meeting(
                            council=council,
                            kind=Meeting.Kind.COUNCIL_EXTRAORDINARY,
                            starts_at=_at(day, 11),
                            place=f"Salla e Këshillit Bashkiak, {council.municipality.name}",
                            status=Meeting.Status.HELD,
                        )
                    )
                day = date(year, 1 + n * 11 // (2 * GROWTH), 9 + n % 3)
                if day < today:
                    consultations.append(
                        Consultation(
                            council=council,
                            starts_at=_at(day, 17),
                            agenda_status=Consultation.AgendaStatus.AGREED,
                            agenda_agreed_at=_at(day - timedelta(days=12)),
                            place=f"Qendra komunitare {n + 1}, {council.municipality.name}",
                            status=Consultation.Status.HELD,
                            announced_at=_at(day - timedelta(days=10)),
                        )
                    )
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    Consultation.objects.bulk_create(consultations, batch_size=1000)
    people = {pk: mine["people"] for pk, mine in data["councils"].items()}
    for meeting in meetings:
        if meeting.kind == Meeting.Kind.COUNCIL_EXTRAORDINARY:
            for i, (person, institution) in enumerate(people[meeting.council_id]):
                status = Attendance.Status.EXCUSED if i == meeting.pk % 5 else Attendance.Status.PRESENT
                attending.append(
                    Attendance(meeting=meeting, person=person, institution=institution, status=status)
                )
    Attendance.objects.bulk_create(attending, batch_size=1000)
    for consultation in consultations:
        problems.append(
            Problem(
                council=consultation.council,
                consultation=consultation,
                title="Trafiku pranë tregut",
                outcome=Problem.Outcome.REFERRED,
                outcome_note="Iu përcoll Policisë Bashkiake.",
            )
        )
    Problem.objects.bulk_create(problems, batch_size=1000)
    for problem in problems:
        concerns += _concerns(problem.council, problem.consultation, problem, 5)
    Concern.objects.bulk_create(concerns, batch_size=1000)
    for mine in data["councils"].values():
        for activity in mine["activities"]:
            year = activity.problem.version.plan.year
            last = min(date(year, 3, 14), today)
            for n in range(2 * GROWTH):
                updates.append(
                    StatusUpdate(
                        council=mine["council"],
                        activity_lineage=activity.lineage,
                        activity=activity,
                        status="in_progress",
                        progress=min(2 * n, 40),
                        note="Takim pune me shkollat.",
                        date=date(year, 1, 2) + (last - date(year, 1, 2)) * n // (2 * GROWTH),
                        author=data["user"],
                    )
                )
    StatusUpdate.objects.bulk_create(updates, batch_size=1000)


def row_counts() -> dict:
    from consultations.models import Concern, Consultation
    from councils.meetings.models import Attendance, Meeting
    from monitoring.models import MonthlyReport, StatusUpdate
    from plans.models import Activity, PlanVersion

    return {
        "meetings": Meeting.objects.count(),
        "attendance": Attendance.objects.count(),
        "consultations": Consultation.objects.count(),
        "concerns": Concern.objects.count(),
        "plans approved": PlanVersion.objects.published().count(),
        "activities": Activity.objects.count(),
        "status updates": StatusUpdate.objects.count(),
        "monthly reports": MonthlyReport.objects.count(),
    }
