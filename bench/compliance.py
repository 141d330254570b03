"""Benchmark: the public national overview of compliance, /compliance/ (issue "Compliance").

Target (the product owner's): the national overview for 61 councils x 3 years of data renders
with a number of queries that does not depend on the data's size, and at >= 0.1x the requests per
second of a static file on the same server.

1. Creates a throwaway PostgreSQL database on loopback (dropped at the end) and, after the
   migrations (the 61 councils), three years of records (the current year and the two before) for
   54 established councils, the other 7 left not established: council meetings with attendance,
   consultations held with their problems, the plan of each year approved at a council meeting,
   status updates, a comment, through the services; the high-volume rows (SKN meetings, concerns,
   monthly reports) with bulk inserts. That is the "small" set. The "large" set adds, with bulk
   inserts, nine times more meetings (with attendance), consultations (with problems and concerns)
   and status updates: about 10x the rows the checks read.
2. Counts the SQL queries of one uncached call of monitoring.compliance_data.national_records(year)
   (and of GET /compliance/ in this process, uncached and cached) for both sets, and times the
   uncached call.
3. For each set, starts gunicorn (2 sync workers) on loopback with production settings (DEBUG
   off, whitenoise with collected static files, Redis as the cache when redis-server is installed,
   else the embedded file cache), and measures requests per second of /compliance/ (cache warm)
   and of a static file served by whitenoise (/static/css/kvsp.css) in the same run, in
   alternating rounds, with wrk when installed (else a small threaded Python client). Prints a
   table of the figures and the ratios (target >= 0.1x). A run with a non-200 answer is refused.

Run from the project's root: ``.venv/bin/python bench/compliance.py`` (options: --short for CI,
--seconds, --rounds, --connections, --timing-runs, --postgres, --keep). Nothing outside the
temporary folder and the throwaway database is written.
"""

import argparse
import hashlib
import json
import pickle
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# As bench/monitoring.py does: the project's root first, this folder off sys.path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from bench.monitoring import measure_pages  # noqa: E402
from bench.plan_page import STATIC, prepare, start_gunicorn, stop, stop_server  # noqa: E402

PAGE = "/compliance/"
TARGET = 0.1
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


def create_database(admin_url: str) -> dict:
    """A new, empty database on the server of ``admin_url`` (loopback only): its Django settings."""
    import environ
    import psycopg
    from psycopg import sql

    if urlsplit(admin_url).hostname not in LOOPBACK:
        raise SystemExit(f"{admin_url}: not a loopback address")
    name = f"kvsp_bench_compliance_{secrets.token_hex(4)}"
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
    assessed (an outcome decided unless not ``answered``), through consultations.services."""
    from consultations import services
    from consultations.models import Problem

    consultation = services.consultation_create(
        council=council,
        starts_at=_at(day, 17),
        place=f"Pallati i Kulturës, {council.municipality.name}",
        agenda="Ecuria e planit shumaktorial vendor\nShqetësimet e banorëve",
    )
    services.consultation_announce(consultation=consultation)
    services.participation_record(
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


def _plan(council, year: int, people, meeting, decided: date, user) -> list:
    """The year's plan, 2 problems and 6 activities, submitted and approved at ``meeting``, through
    plans.services: its activities."""
    from plans import services

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
    services.version_submit(version=version, user=user)
    services.version_approve(
        version=version, user=user, meeting=meeting, decision_number=f"{year % 100}/1", decision_date=decided
    )
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


# --- queries and the uncached call -------------------------------------------------------------


def measure_queries(year: int, runs: int) -> dict:
    """SQL queries of one uncached call of national_records(year), and of GET /compliance/ in this
    process with the cache cleared and then warm; the uncached call's time (median of ``runs``,
    the cache cleared before each) and the cached entry's size."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from monitoring import compliance_data

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        found = compliance_data.national_records(year)
    queries = len(captured)
    client = Client(HTTP_HOST="127.0.0.1")
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        cold = client.get(PAGE)
    page_cold = len(captured)
    with CaptureQueriesContext(connection) as captured:
        warm = client.get(PAGE)
    if cold.status_code != 200 or warm.status_code != 200:
        raise SystemExit(f"{PAGE}: {cold.status_code}/{warm.status_code} in-process, not 200")
    times, cached = [], []
    for _run in range(runs):
        cache.clear()
        started = time.perf_counter()
        compliance_data.national_records(year)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        compliance_data.national_records(year)  # from the cache: what each request of the page pays
        cached.append(time.perf_counter() - started)
    councils, records, _first = found
    states = {}
    for by_year in records.values():
        for check in by_year[year].checks:
            states[check.state] = states.get(check.state, 0) + 1
    return {
        "queries": queries,
        "page_cold": page_cold,
        "page_warm": len(captured),
        "ms": statistics.median(times) * 1000,
        "runs": [t * 1000 for t in times],
        "cached_ms": statistics.median(cached) * 1000,
        "bytes": len(pickle.dumps(found)),
        "councils": len(councils),
        "states": states,
    }


# --- load ----------------------------------------------------------------------------------------


def serve_and_measure(env: dict, processes: list, args) -> dict:
    """gunicorn (2 sync workers) on loopback, the static file and /compliance/ in alternating
    rounds (bench/monitoring.py's measure_pages: a 200 checked before and after, failed or
    timed-out requests refuse the run; its warm-up fills the cache); then the server is stopped."""
    server, base = start_gunicorn(env, processes)
    pages = measure_pages(base, {"static": (STATIC, {}), "compliance": (PAGE, {})}, args)
    stop_server(server, processes)
    return pages


# --- main ---------------------------------------------------------------------------------------


def _rounds(found: list) -> str:
    return ", ".join(f"{r:.0f}" for r in found)


def _table(rows: list[list]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="for CI: 1 round of 3 s, 3 timing runs")
    parser.add_argument("--seconds", type=int, help="length of each load round (10; 3 with --short)")
    parser.add_argument("--rounds", type=int, help="alternating rounds, median reported (3; 1 with --short)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--timing-runs", type=int, help="uncached national_records calls (5; 3 with --short)")
    parser.add_argument("--postgres", default=ADMIN_URL, help=f"a loopback PostgreSQL server ({ADMIN_URL})")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and the database")
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.short else 10)
    args.rounds = args.rounds or (1 if args.short else 3)
    args.timing_runs = args.timing_runs or (3 if args.short else 5)

    tmp = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    processes: list[subprocess.Popen] = []
    database = None
    began = time.perf_counter()
    try:
        database = create_database(args.postgres)
        env, cache_name = prepare(tmp, processes, POSTGRES.format(databases=repr({"default": database})))

        import django
        from django.core.management import call_command
        from django.utils import timezone

        django.setup()
        print(f"database: PostgreSQL {database['NAME']} on {database['HOST']}; cache: {cache_name}")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        today = timezone.localdate()
        year = today.year
        print(
            f"client: {'wrk' if shutil.which('wrk') else 'python threads'}, {args.connections} connections, "
            f"{args.rounds} alternating rounds of {args.seconds} s each; gunicorn: 2 sync workers"
        )

        sets = {}
        started = time.perf_counter()
        data = seed_small(today)
        print(
            f"small set seeded in {time.perf_counter() - started:.0f} s: {len(data['councils'])} councils "
            f"with records of {data['years'][0]}-{data['years'][-1]}, {data['silent']} not established"
        )
        sets["small"] = {"rows": row_counts(), **measure_queries(year, args.timing_runs)}
        sets["small"]["pages"] = serve_and_measure(env, processes, args)
        started = time.perf_counter()
        grow(data, today)
        print(f"large set grown in {time.perf_counter() - started:.0f} s")
        sets["large"] = {"rows": row_counts(), **measure_queries(year, args.timing_runs)}
        sets["large"]["pages"] = serve_and_measure(env, processes, args)
        for name, found in sets.items():
            states = ", ".join(f"{state} {n}" for state, n in sorted(found["states"].items()))
            print(f"checks of {year}, {name} set ({found['councils']} councils x 8): {states}")

        small, large = sets["small"], sets["large"]
        equal = "equal" if small["queries"] == large["queries"] else "NOT EQUAL"
        print()
        rows = [["", "small set", "large set"]]
        rows += [[f"rows: {name}", small["rows"][name], large["rows"][name]] for name in small["rows"]]
        rows += [
            [
                "SQL queries, national_records(year), uncached",
                small["queries"],
                f"{large['queries']} ({equal})",
            ],
            [f"SQL queries, GET {PAGE} in-process, uncached", small["page_cold"], large["page_cold"]],
            [f"SQL queries, GET {PAGE} in-process, cached", small["page_warm"], large["page_warm"]],
            [
                f"national_records(year), uncached (ms, median of {args.timing_runs})",
                f"{small['ms']:.0f} ({_rounds(small['runs'])})",
                f"{large['ms']:.0f} ({_rounds(large['runs'])})",
            ],
            [
                f"national_records(year), from the cache (ms, median of {args.timing_runs})",
                f"{small['cached_ms']:.0f}",
                f"{large['cached_ms']:.0f}",
            ],
            ["cached entry (pickled bytes)", small["bytes"], large["bytes"]],
        ]
        print(_table(rows))
        print()
        rows = [["cache warm", "req/s (rounds)", "answer (bytes)", "/ static"]]
        for name, found in sets.items():
            static, page = found["pages"]["static"], found["pages"]["compliance"]
            found["ratio"] = page[0] / static[0]
            rows += [
                [
                    f"{name} set: static file {STATIC}",
                    f"{static[0]:.0f} ({_rounds(static[1])})",
                    static[2],
                    "1",
                ],
                [
                    f"{name} set: {PAGE}",
                    f"{page[0]:.0f} ({_rounds(page[1])})",
                    page[2],
                    f"{found['ratio']:.3f}x",
                ],
            ]
        print(_table(rows))
        print()
        counts = f"{small['queries']} small, {large['queries']} large"
        print(f"SQL queries of national_records({year}), uncached: {counts}: {equal}")
        for name, found in sets.items():
            verdict = "OK" if found["ratio"] >= TARGET else "BELOW TARGET"
            print(f"{name} set: {PAGE} / static = {found['ratio']:.3f}x (target >= {TARGET}x): {verdict}")
        print(f"whole run: {time.perf_counter() - began:.0f} s")
        if args.json:
            figures = {
                name: {k: v for k, v in found.items() if k != "states"} for name, found in sets.items()
            }
            args.json.write_text(
                json.dumps({"seconds": args.seconds, "rounds": args.rounds, **figures}, indent=2, default=str)
            )
    finally:
        stop(processes, tmp, keep=args.keep)
        if database is not None:
            if args.keep:
                print(f"kept database {database['NAME']}")
            else:
                if "django" in sys.modules:
                    from django.db import connections

                    connections.close_all()
                drop_database(args.postgres, database["NAME"])


if __name__ == "__main__":
    main()
