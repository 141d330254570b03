"""Benchmark: the daily reminder sweep, monitoring/reminders.py (``due`` and ``send``).

Target (the product owner's): a reminder sweep over 61 councils with 5,000 activities uses a number
of queries that does not grow with the number of activities; its time is noted.

1. Creates a throwaway PostgreSQL database on loopback (bench/compliance_seed.py's helpers; dropped at
   the end) and, after the migrations (the 61 councils), makes every council established with a
   chair, a technical secretary and the three SKN members, each with a user account, and a council
   meeting held on 20 January (its attendance recorded), through councils.services and
   councils.meetings.services. That database is then copied (PostgreSQL's CREATE DATABASE ...
   TEMPLATE), so the two sets share everything but their plans.
2. In each copy, through plans.services, every council's plan of the year, approved at that meeting
   on 20 January: the "small" set has 500 activities over the 61 councils, the "large" one 5,000
   (100 and 1,000 with --short), their deadlines by a date (some exactly 14 and 3 days after
   ``as_of``, some long past), every two months, in the first six months and all year; about half
   of them have a status update (in progress, done, delayed, cancelled) through
   monitoring.services.update_record.
3. For each set, counts the SQL queries of ``reminders.due(as_of)`` and of ``reminders.send(as_of)``
   on a fresh notification state (in a transaction rolled back), times ``due`` (best of 3), then
   ``send`` once on the fresh state (the Notification and OutboxMessage rows written in bulk) and a
   second time, which must create nothing. Prints a table and whether the counts are equal.

``as_of`` is today, at most 15 December (its deadlines 14 days ahead stay in the year), in the
current year from March on; in January and February the previous year's 15 December.

Run from the project's root: ``.venv/bin/python bench/reminders.py`` (options: --short for CI,
--postgres, --keep). Nothing outside the temporary folder and the throwaway databases is written;
no e-mail leaves the process (the outbox's worker is not run; the mail backend is in memory).
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# As bench/monitoring.py does: the project's root first, this folder off sys.path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from bench.compliance import _table  # noqa: E402
from bench.compliance_seed import ADMIN_URL, POSTGRES, create_database, drop_database  # noqa: E402
from bench.plan_page import SETTINGS, stop  # noqa: E402

COUNCILS = 61
SIZES = {"full": (500, 5000), "short": (100, 1000)}  # activities in all, small and large set
DUE_RUNS = 3
MEETING_DAY = (1, 20)  # the council meeting that approves every plan: 20 January
# Appended to the settings: nothing is cached across processes (the sweep reads no cache), and no
# e-mail can leave the process whatever EMAIL_URL says.
EXTRA = """
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
"""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def bench_dates(today: date) -> tuple[int, date]:
    """The plans' year and ``as_of``: after 31 January (the plan's deadline), with a month of the
    year behind it, and at most 15 December so that 14 days ahead is still in the year."""
    if today.month >= 3:
        return today.year, min(today, date(today.year, 12, 15))
    return today.year - 1, date(today.year - 1, 12, 15)


def _at(day: date, hour: int = 10) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


# --- the databases ------------------------------------------------------------------------------


def clone_database(admin_url: str, source: str, name: str) -> None:
    """A copy of ``source`` (no session may be connected to it)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source))
        )


def use_database(name: str) -> None:
    """Point this process's connection at another database of the same server."""
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name


def _person(council, institution, role: str, email: str, full_name: str, start: date):
    """A user with a role in the council since ``start``, as tests/factories.give_role builds it."""
    from councils import services
    from kvsp.core.models import User

    user = User.objects.create_user(email=email, full_name=full_name, language="sq")
    membership = services.membership_add(
        council=council,
        institution=institution,
        role=role,
        full_name=full_name,
        email=email,
        start_date=start,
    )
    membership.person.user = user
    membership.person.save(update_fields=["user"])
    return user, membership.person


def seed_councils(year: int) -> int:
    """Every council established (founded the year before), with its five member institutions, a
    chair, a secretary and the three SKN members (each with a user account) and the council meeting
    of 20 January, held: what both sets share. Returns the number of people."""
    from councils import services
    from councils.meetings import services as meeting_services
    from councils.models import Council, Role

    founded = date(year - 1, 6, 1)
    councils = list(Council.objects.select_related("municipality__county").order_by("municipality__name"))
    if len(councils) != COUNCILS:
        raise SystemExit(f"{len(councils)} councils after the migrations, not {COUNCILS}")
    people = 0
    for k, council in enumerate(councils):
        town, slug = council.municipality.name, council.municipality.slug
        # No service sets a council's founding (the admin's form does): a plain update.
        Council.objects.filter(pk=council.pk).update(
            status=Council.Status.ACTIVE,
            founding_decision_number=f"{k + 1}/{founded.year}",
            founding_decision_date=founded,
            founding_decision_body=f"Kryetari i Bashkisë {town}",
        )
        seats = [
            services.seat_add(council=council, name=name, category=category, start_date=founded).institution
            for name, category in (
                (f"Bashkia {town}", "a"),
                (f"Drejtoria Vendore e Policisë {town}", "c"),
                (f"Prokuroria e Rrethit Gjyqësor {town}", "d"),
                (f"Zyra Arsimore Vendore {town}", "f"),
                (f"Drejtoria e Shëndetit Publik {town}", "g"),
            )
        ]
        municipality, police, prosecution = seats[:3]
        roles = [
            (Role.CHAIR, municipality, "kryetari", "Gazmend Oketa"),
            (Role.SECRETARY, municipality, "sekretaria", "Dorina Cela"),
            (Role.SKN_MUNICIPALITY, municipality, "skn.bashkia", "Elona Dervishi"),
            (Role.SKN_POLICE, police, "skn.policia", "Arben Hoxha"),
            (Role.SKN_PROSECUTION, prosecution, "skn.prokuroria", "Besa Kola"),
        ]
        attendance = []
        for role, institution, local, name in roles:
            _user, person = _person(council, institution, role, f"{local}@{slug}.bench", name, founded)
            attendance.append((person, institution, "present", ""))
            people += 1
        meeting = meeting_services.meeting_create(
            council=council,
            kind="council",
            starts_at=_at(date(year, *MEETING_DAY)),
            place=f"Salla e Këshillit Bashkiak, {town}",
        )
        meeting_services.attendance_record(meeting=meeting, entries=attendance)
    return people


def _deadlines(year: int, as_of: date) -> list[dict]:
    """In turn: due in 14 days, every two months, the first six months, due in 3 days, long past
    (31 January), every two months, the first six months, all year."""
    return [
        {"deadline_kind": "date", "deadline_date": as_of + timedelta(days=14)},
        {"deadline_kind": "recurrence", "deadline_every_months": 2},
        {"deadline_kind": "period", "deadline_period": "h1"},
        {"deadline_kind": "date", "deadline_date": as_of + timedelta(days=3)},
        {"deadline_kind": "date", "deadline_date": date(year, 1, 31)},
        {"deadline_kind": "recurrence", "deadline_every_months": 2},
        {"deadline_kind": "period", "deadline_period": "h1"},
        {"deadline_kind": "all_year"},
    ]


def _update(k: int, year: int) -> tuple[str, int, date] | None:
    """The status update of the ``k``-th activity, if any (about half have one)."""
    if k % 6 == 0:
        return "in_progress", 40, date(year, 2, 10)
    if k % 6 == 3:
        return "done", 100, date(year, 2, 20)
    if k % 12 == 5:
        return "cancelled", 0, date(year, 2, 25)
    if k % 12 == 7:
        return "delayed", 20, date(year, 2, 15)
    return None


def seed_plans(total: int, year: int, as_of: date) -> dict:
    """Each council's plan of ``year`` with its share of ``total`` activities (one problem per ten),
    submitted by the SKN and approved by the chair at the meeting of 20 January, and the status
    updates: all through plans.services and monitoring.services (5,000 activities and 2,500
    updates take two to three minutes on a loopback PostgreSQL, so no bulk insert is needed)."""
    from councils.meetings.models import Meeting
    from councils.models import Council, CouncilInstitution, Membership, Role
    from monitoring import services as monitoring_services
    from plans import services
    from plans.demo import approve_at_meeting

    deadlines = _deadlines(year, as_of)
    councils = list(Council.objects.select_related("municipality").order_by("municipality__name"))
    made = {"activities": 0, "problems": 0, "updates": 0}
    for c, council in enumerate(councils):
        count = total // len(councils) + (c < total % len(councils))
        first = made["activities"]  # deadlines and updates go in turn over all the councils' activities
        seats = [
            seat.institution
            for seat in CouncilInstitution.objects.filter(council=council)
            .select_related("institution")
            .order_by("pk")
        ]
        officers = {
            m.role: m.person.user
            for m in Membership.objects.filter(council=council).select_related("person__user")
        }
        meeting = Meeting.objects.get(council=council, kind="council")
        version = services.plan_start(council=council, year=year)
        problems = [
            services.problem_add(
                version=version,
                number=f"{1 + p // 9}.{1 + p % 9}",
                title=f"Problemi {p + 1}: përdorimi i drogës te të rinjtë pranë shkollave",
                priority=("high", "moderate", "low")[p % 3],
            )
            for p in range(-(-count // 10))
        ]
        activities = [
            services.activity_add(
                problem=problems[k % len(problems)],
                text=f"Aktiviteti {k + 1}: orë edukative ligjore me nxënësit dhe prindërit",
                lead=seats[k % len(seats)],
                partners=[seats[(k + 1) % len(seats)]],
                **deadlines[(first + k) % len(deadlines)],
            )
            for k in range(count)
        ]
        approve_at_meeting(
            version, meeting, submitted_by=officers[Role.SKN_MUNICIPALITY], chair=officers[Role.CHAIR]
        )
        for k, activity in enumerate(activities):
            update = _update(first + k, year)
            if update is not None:
                status, progress, day = update
                monitoring_services.update_record(
                    activity=activity,
                    user=officers[Role.SKN_POLICE],
                    status=status,
                    progress=progress,
                    date=day,
                    note="U zhvilluan takimet e planifikuara me shkollat dhe prindërit.",
                )
                made["updates"] += 1
        made["activities"] += len(activities)
        made["problems"] += len(problems)
    return made


# --- the sweep ----------------------------------------------------------------------------------


def measure(as_of: date) -> dict:
    """Queries and times of due(as_of) and send(as_of) (see the module's docstring)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from kvsp.notify.models import Notification, OutboxMessage, SentLog
    from monitoring import reminders

    # From a fresh notification state: the seeding's own hand-off notices (a plan approved, the
    # minutes of its meeting) and an earlier set's sweep are not this sweep's.
    for model in (Notification, OutboxMessage, SentLog):
        model.objects.all().delete()
    reminders.due(as_of)  # warm-up (translations, URL resolver)
    with CaptureQueriesContext(connection) as captured:
        items = reminders.due(as_of)
    found = {"due_queries": len(captured), "reminders": len(items), "kinds": Counter(i.kind for i in items)}
    found["recipients"] = len({item.user.pk for item in items})
    runs = []
    for _run in range(DUE_RUNS):
        started = time.perf_counter()
        reminders.due(as_of)
        runs.append(time.perf_counter() - started)
    found["due_ms"], found["due_runs"] = min(runs) * 1000, [t * 1000 for t in runs]

    # The queries of a send on the fresh state, then rolled back: the timed send below is fresh too.
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            reminders.send(as_of)
        transaction.set_rollback(True)
    found["send_queries"] = len(captured)
    started = time.perf_counter()
    found["created"] = reminders.send(as_of)
    found["send_ms"] = (time.perf_counter() - started) * 1000
    found["notifications"] = Notification.objects.count()
    found["outbox"] = OutboxMessage.objects.count()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        found["created_again"] = reminders.send(as_of)
        found["again_ms"] = (time.perf_counter() - started) * 1000
    found["again_queries"] = len(captured)
    return found


# --- main ---------------------------------------------------------------------------------------


def _ms(runs: list) -> str:
    return ", ".join(f"{t:.0f}" for t in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="for CI: 100 and 1,000 activities")
    parser.add_argument("--postgres", default=ADMIN_URL, help=f"a loopback PostgreSQL server ({ADMIN_URL})")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and the databases")
    args = parser.parse_args()
    sizes = dict(zip(("small", "large"), SIZES["short" if args.short else "full"], strict=True))

    tmp = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    databases = []
    began = time.perf_counter()
    try:
        database = create_database(args.postgres)
        databases.append(database["NAME"])
        settings_text = SETTINGS.format(tmp=tmp, caches=repr(CACHES))
        settings_text += POSTGRES.format(databases=repr({"default": database})) + EXTRA
        (tmp / "bench_settings.py").write_text(settings_text)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench_settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(64)
        )
        for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
            os.environ.pop(name, None)
        sys.path.insert(0, str(tmp))
        os.chdir(ROOT)

        import django
        from django.core.management import call_command
        from django.utils import timezone

        django.setup()
        call_command("migrate", verbosity=0)
        year, as_of = bench_dates(timezone.localdate())
        print(
            f"database: PostgreSQL {database['NAME']} on {database['HOST']}; plans of {year}, as_of {as_of}"
        )
        started = time.perf_counter()
        people = seed_councils(year)
        print(f"{COUNCILS} councils established, {people} people, in {time.perf_counter() - started:.0f} s")
        names = {"small": database["NAME"], "large": f"{database['NAME']}_large"}
        use_database(names["small"])  # closes the connection: the copy needs none on its template
        clone_database(args.postgres, names["small"], names["large"])
        databases.append(names["large"])

        sets = {}
        for label, total in sizes.items():
            use_database(names[label])
            started = time.perf_counter()
            made = seed_plans(total, year, as_of)
            print(
                f"{label} set: {made['activities']} activities in {made['problems']} problems, "
                f"{made['updates']} status updates, seeded in {time.perf_counter() - started:.0f} s"
            )
            sets[label] = {**made, **measure(as_of)}

        small, large = sets["small"], sets["large"]
        equal_due = "equal" if small["due_queries"] == large["due_queries"] else "NOT EQUAL"
        equal_send = "equal" if small["send_queries"] == large["send_queries"] else "NOT EQUAL"
        print()
        rows = [["", "small set", "large set"]]
        rows += [
            ["activities (61 councils)", small["activities"], large["activities"]],
            ["status updates", small["updates"], large["updates"]],
            [
                "reminders due (people)",
                *(f"{s['reminders']} ({s['recipients']})" for s in (small, large)),
            ],
        ]
        for kind in sorted(set(small["kinds"]) | set(large["kinds"])):
            rows.append([f"  {kind}", small["kinds"][kind], large["kinds"][kind]])
        rows += [
            ["SQL queries, due(as_of)", small["due_queries"], f"{large['due_queries']} ({equal_due})"],
            [
                "SQL queries, send(as_of), fresh",
                small["send_queries"],
                f"{large['send_queries']} ({equal_send})",
            ],
            ["SQL queries, send(as_of), again", small["again_queries"], large["again_queries"]],
            [
                f"due(as_of), best of {DUE_RUNS} (ms; runs)",
                f"{small['due_ms']:.0f} ({_ms(small['due_runs'])})",
                f"{large['due_ms']:.0f} ({_ms(large['due_runs'])})",
            ],
            ["send(as_of), fresh (ms)", f"{small['send_ms']:.0f}", f"{large['send_ms']:.0f}"],
            [
                "  created (notifications / outbox)",
                *(f"{s['created']} ({s['notifications']} / {s['outbox']})" for s in (small, large)),
            ],
            ["send(as_of), again (ms)", f"{small['again_ms']:.0f}", f"{large['again_ms']:.0f}"],
            ["  created", small["created_again"], large["created_again"]],
        ]
        print(_table(rows))
        print()
        print(f"SQL queries of due({as_of}): {small['due_queries']} and {large['due_queries']}: {equal_due}")
        print(
            f"SQL queries of send({as_of}): {small['send_queries']} and {large['send_queries']}: {equal_send}"
        )
        if small["created_again"] or large["created_again"]:
            print("a second send created notifications: NOT IDEMPOTENT")
        print(f"whole run: {time.perf_counter() - began:.0f} s")
        if args.json:
            args.json.write_text(json.dumps(sets, indent=2, default=str))
    finally:
        stop([], tmp, keep=args.keep)
        if args.keep:
            print(f"kept databases {', '.join(databases)}")
        else:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            for name in databases:
                drop_database(args.postgres, name)


if __name__ == "__main__":
    main()
