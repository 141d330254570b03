# ruff: noqa: S603 -- a benchmark starts local tools (gunicorn, wrk, redis-server) on loopback
"""Benchmark: monitoring's pages and the monthly report's approval (issue "[6/10] Monitoring").

1. Builds a throwaway SQLite database in a temporary folder (migrations, then through the services:
   Elbasan's plan of the year with 30 problems / 100 activities / 130 indicators, approved at a
   held council meeting, a year's monitoring of it (12 status updates per activity, a value for
   every started period of every indicator), a published monthly report and a held public
   consultation; the same for Belsh with a plan of 10 activities, to compare query counts).
2. Counts, in this process through Django's test client, the SQL queries of the staff dashboard,
   the public report page and the consultation's progress page, for 100 and for 10 activities.
3. Starts gunicorn (2 sync workers) on loopback with production settings (DEBUG off, whitenoise
   with collected static files, Redis as the cache when redis-server is installed, else the
   embedded file cache), and measures requests per second of the three pages (the dashboard with
   the session cookie of an SKN member) and of a static file served by whitenoise
   (/static/css/kvsp.css) in the same run, in alternating rounds, with wrk when installed (else a
   small threaded Python client). Prints the medians and each page's ratio to the static file.
4. Times the chair's approval of a report (monitoring.services.report_approve: the month's data,
   the template, the PDF rendered and stored with its SHA-256) against WeasyPrint rendering the
   same HTML directly, and prints the ratio.

No targets: figures and ratios only. A run with a non-200 answer is refused.

The plan is of the current year when at least four months of it are over (the report is of the
last whole month, the approval is timed on the three before it), else of the previous year.

Run from the project's root: ``.venv/bin/python bench/monitoring.py`` (options: --seconds, --rounds,
--connections, --keep). Nothing outside the temporary folder is written.
"""

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# Run as a script, this folder comes first on sys.path, and this file would stand in for the
# project's app of the same name: the project's root takes its place.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from bench.plan_page import GUNICORN_LABEL, STATIC, prepare, start_gunicorn, stop, stop_server  # noqa: E402

BIG, SMALL = "elbasan", "belsh"
APPROVAL_RUNS = 3
FREQUENCIES = ("monthly", "quarterly", "semiannual", "annual", "once")


def bench_year(today: date) -> int:
    return today.year if today.month >= 5 else today.year - 1


# --- the database -------------------------------------------------------------------------------


def _person(council, institution, role: str, email: str, full_name: str):
    """A user with a role in the council, as tests/factories.give_role builds it."""
    from django.contrib.auth import get_user_model

    from councils import services as council_services

    user = get_user_model().objects.create_user(email=email, full_name=full_name, language="sq")
    membership = council_services.membership_add(
        council=council,
        institution=institution,
        role=role,
        full_name=full_name,
        email=email,
    )
    membership.person.user = user
    membership.person.save(update_fields=["user"])
    return user, membership.person


def _status_updates(activities, user, year: int, end: date) -> int:
    """Twelve updates per activity, dated from 10 January to ``end``: most move forward, some end
    done, some fall behind (delayed), some are cancelled, some start late."""
    from monitoring import services

    start = date(year, 1, 10)
    span = (end - start).days
    created = 0
    for k, activity in enumerate(activities):
        reach = 30 + (k * 7) % 66  # how far it gets by the end: 30 .. 95 %
        frozen = 0
        for i in range(12):
            day = start + timedelta(days=span * (i + 1) // 12)
            progress = round(reach * (i + 1) / 12)
            status = "in_progress"
            if k % 10 in (0, 5) and i == 11:
                status, progress = "done", 100
            elif k % 10 == 3 and i >= 6:
                status, progress = "delayed", frozen or progress
                frozen = progress
            elif k % 10 == 7 and i >= 8:
                status, progress = "cancelled", frozen or progress
                frozen = progress
            elif k % 10 == 9 and i < 4:
                status, progress = "not_started", 0
            services.update_record(
                activity=activity,
                user=user,
                status=status,
                progress=progress,
                date=day,
                note=f"Përditësimi {i + 1}: u zhvilluan takimet e planifikuara me shkollat dhe prindërit.",
            )
            created += 1
    return created


def _indicator_values(indicators, user, year: int, end: date) -> int:
    """A value for every period of the year that has started by ``end``."""
    from decimal import Decimal

    from monitoring import services
    from monitoring.progress import periods

    created = 0
    for j, indicator in enumerate(indicators):
        for n, period in enumerate(periods(indicator.frequency, year)):
            if period.start > end:
                continue
            services.value_record(
                indicator=indicator,
                user=user,
                period=period.code,
                value=Decimal(j % 7 + 2 * (n + 1)),
                note="Sipas regjistrit të institucionit",
            )
            created += 1
    return created


def _report(council, year: int, month: int, skn, chair=None):
    """A month's report written and submitted by the SKN; approved and published if ``chair``."""
    from monitoring import services

    report = services.report_start(council=council, year=year, month=month)
    report = services.report_update(
        report=report,
        summary="U zhvilluan 4 seanca informuese në shkollat 9-vjeçare dhe takimi me OJF-të.",
        difficulties="Mungesë transporti për njësitë administrative të largëta.",
        proposals="Të përfshihen edhe prindërit në takimet e muajit të ardhshëm.",
    )
    report = services.report_submit(report=report, user=skn)
    if chair is not None:
        report = services.report_approve(report=report, user=chair)
        report = services.report_publish(report=report)
    return report


def seed(slug: str, problems: int, activities: int, year: int, today: date) -> dict:
    """A council's approved plan of ``year`` with a year of monitoring, a published report of the
    last whole month and a held public consultation, all through the services."""
    from django.utils import timezone

    from consultations import lifecycle as consultation_lifecycle
    from councils import services as council_services
    from councils.meetings import services as meeting_services
    from councils.models import Council, Institution, Role
    from plans import services
    from plans.demo import approve_at_meeting

    council = Council.objects.select_related("municipality").get(municipality__slug=slug)
    town = council.municipality.name
    names = [
        (f"Bashkia {town}", "a"),
        (f"Drejtoria Vendore e Policisë {town}", "c"),
        (f"Prokuroria e Rrethit Gjyqësor {town}", "d"),
        (f"Zyra Arsimore Vendore {town}", "f"),
        (f"Drejtoria e Shëndetit Publik {town}", "g"),
    ]
    institutions = []
    for name, category in names:
        institution = Institution.objects.create(name=name, category=category)
        council_services.seat_add(council=council, institution=institution)
        institutions.append(institution)
    chair, chair_person = _person(
        council, institutions[0], Role.CHAIR, f"kryetari@{slug}.bench", "Gazmend Oketa"
    )
    skn, skn_person = _person(
        council, institutions[0], Role.SKN_MUNICIPALITY, f"skn@{slug}.bench", "Elona Dervishi"
    )

    # The council meeting of 10 January that approves the plan, held (its attendance recorded).
    decided = date(year, 1, 10)
    meeting = meeting_services.meeting_create(
        council=council,
        kind="council",
        starts_at=timezone.make_aware(datetime.combine(decided, datetime.min.time()).replace(hour=10)),
        place="Salla e Këshillit",
    )
    meeting_services.attendance_record(
        meeting=meeting,
        entries=[
            (chair_person, institutions[0], "present", ""),
            (skn_person, institutions[0], "present", ""),
        ],
    )

    version = services.plan_start(council=council, year=year)
    deadlines = [
        {"deadline_kind": "date", "deadline_date": date(year, 6, 30)},
        {"deadline_kind": "period", "deadline_period": "h2"},
        {"deadline_kind": "recurrence", "deadline_every_months": 2},
        {"deadline_kind": "all_year"},
        {"deadline_kind": "period", "deadline_period": "q3"},
        {"deadline_kind": "date", "deadline_date": date(year, 10, 31)},
    ]
    rows = []
    for p in range(problems):
        rows.append(
            services.problem_add(
                version=version,
                number=f"{1 + p // 10}.{1 + p % 10}",
                title=f"Problemi {p + 1}: përdorimi i drogës te të rinjtë pranë shkollave",
                description="Raste të shpeshta të shitjes dhe përdorimit të drogës pranë shkollave të mesme.",
                statistics=f"{40 + p} raste të regjistruara në vitin {year - 1}",
                statistics_source=institutions[1].name,
                priority=("high", "moderate", "low")[p % 3],
            )
        )
    made, indicators = [], []
    for k in range(activities):  # spread over the rows, the first ones taking one more
        activity = services.activity_add(
            problem=rows[k % problems],
            text=f"Aktiviteti {k + 1}: orë edukative ligjore me nxënësit dhe prindërit e shkollave",
            lead=institutions[k % len(institutions)],
            partners=[institutions[(k + 1) % 5], institutions[(k + 2) % 5]],
            **deadlines[k % len(deadlines)],
        )
        made.append(activity)
        for i in range(2 if k % 10 < 3 else 1):  # 1.3 indicators per activity
            indicators.append(
                services.indicator_add(
                    activity=activity,
                    name=f"Numri i orëve të zhvilluara ({i + 1})",
                    unit="orë",
                    baseline=0,
                    target=12 + k % 5,
                    frequency=FREQUENCIES[len(indicators) % len(FREQUENCIES)],
                )
            )
    approve_at_meeting(version, meeting, submitted_by=skn, chair=chair)

    end = min(today, date(year, 12, 31))
    updates = _status_updates(made, skn, year, end)
    values = _indicator_values(indicators, skn, year, end)
    month = end.month - 1 if end.month < 12 or end.day < 31 else 12  # the last whole month
    report = _report(council, year, month, skn, chair)

    # The semi-annual public consultation, held (its participation recorded).
    day = min(date(year, 7, 15), end - timedelta(days=1))
    consultation = consultation_lifecycle.consultation_create(
        council=council,
        agenda="Ecuria e planit shumaktorial vendor",
        starts_at=timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=17)),
        place="Shushicë",
    )
    consultation_lifecycle.consultation_agenda_agree(consultation=consultation, user=skn)
    consultation_lifecycle.consultation_announce(consultation=consultation, without_heads=True)
    consultation_lifecycle.participation_record(
        consultation=consultation, counts={"village_heads": (4, 9, 0), "schools_parents": (21, 14, 2)}
    )
    return {
        "council": council,
        "skn": skn,
        "chair": chair,
        "activities": len(made),
        "indicators": len(indicators),
        "updates": updates,
        "values": values,
        "report": report,
        "pages": {
            "dashboard": f"/app/{slug}/monitoring/",
            "report": f"/{slug}/reports/{year}/{month}/",
            "progress": f"/{slug}/consultations/{consultation.pk}/progress/",
        },
    }


# --- queries -------------------------------------------------------------------------------------


def _client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # A session that passed the second factor (KVSP_REQUIRE_2FA, on in production), as the tests'
    # force_login makes it (tests/fixtures/accounts.py): the user's confirmed TOTP device.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def count_queries(data: dict) -> dict:
    """Each page's SQL queries, on the second request (the first one stamps the session), as
    rendered: the public pages' response cache (kvsp/portal/page_cache.py, which would answer the
    second anonymous request with none) is moved on first."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kvsp.core import public_cache

    counts = {}
    for name, url in data["pages"].items():
        client = _client(data["skn"]) if name == "dashboard" else Client(HTTP_HOST="127.0.0.1")
        client.get(url)
        public_cache.bump()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} in-process, not 200")
        counts[name] = len(captured)
    return counts


# --- load ----------------------------------------------------------------------------------------


def _check(url: str, headers: dict) -> int:
    """The answer's size; anything but a 200 (a redirect to the login page included) stops the run."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{url}: {response.status}, not 200")
    return len(body)


def _wrk(url: str, seconds: int, connections: int, headers: dict) -> float:
    """wrk's requests per second. Its default timeout (2 s) is shorter than a slow page's latency
    with 8 connections on 2 workers: requests dropped at 2 s would be done by the server and not
    counted, so the timeout is 30 s and a run with any timeout is refused."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{out}")
    timeouts = re.search(r"timeout (\d+)", out)
    if timeouts and int(timeouts.group(1)):
        raise SystemExit(f"{url}: {timeouts.group(1)} requests timed out\n{out}")
    found = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if not found:
        raise SystemExit(f"{url}: no request answered in {seconds} s (try longer rounds)\n{out}")
    return found


def _python_client(url: str, seconds: int, connections: int, headers: dict) -> float:
    """A small threaded client (used when wrk is not installed): a new connection per request,
    as gunicorn's sync workers close each one; any answer but a 200 counts as failed."""
    parts = urlsplit(url)
    done = [0] * connections
    failed = []
    stop = time.monotonic() + seconds

    def run(index):
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            try:
                conn.request("GET", parts.path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as error:
                status = error
            finally:
                conn.close()
            if status != 200:
                failed.append(status)
            done[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"{url}: {len(failed)} failed responses")
    return sum(done) / (time.monotonic() - started)


def measure_pages(base: str, targets: dict, args) -> dict:
    """``targets``: name -> (path, headers). Requests per second of each, in alternating rounds."""
    load = _wrk if shutil.which("wrk") else _python_client
    sizes = {name: _check(base + path, headers) for name, (path, headers) in targets.items()}
    for path, headers in targets.values():  # warm up both workers
        load(base + path, 2, args.connections, headers)
    rounds = {name: [] for name in targets}
    for _round in range(args.rounds):
        for name, (path, headers) in targets.items():
            rounds[name].append(load(base + path, args.seconds, args.connections, headers))
    for path, headers in targets.values():  # still 200 (the session still signed in) after the load
        _check(base + path, headers)
    return {name: (statistics.median(found), found, sizes[name]) for name, found in rounds.items()}


# --- the report's approval -------------------------------------------------------------------------


def _report_html(report) -> str:
    """The HTML report_approve renders to PDF (monitoring.services.render_report_pdf)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from monitoring import selectors, services
    from monitoring.progress import month_label

    with translation.override(services.REPORT_LANGUAGE):
        return render_to_string(
            "monitoring/report_pdf.html",
            {
                "report": report,
                "council": report.council,
                "content": report.content,
                "sections": selectors.report_sections(report.content),
                "month_name": month_label(report.year, report.month),
            },
        )


def measure_approval(data: dict, year: int, runs: int = APPROVAL_RUNS) -> dict:
    """report_approve on the three months before the published one, each against WeasyPrint
    rendering the HTML of that same approval directly."""
    from django.conf import settings
    from weasyprint import HTML

    from monitoring import services
    from monitoring.models import MonthlyReport

    published = data["report"].month
    ours, direct, sizes = [], [], []
    for month in range(published - runs, published):
        report = _report(data["council"], year, month, data["skn"])
        started = time.perf_counter()
        report = services.report_approve(report=report, user=data["chair"])
        ours.append(time.perf_counter() - started)
        report = MonthlyReport.objects.select_related("council__municipality").get(pk=report.pk)
        html = _report_html(report)
        # WeasyPrint alone, on the same HTML: the (collected) static files read straight from the disk.
        direct_html = html.replace(settings.STATIC_URL, Path(settings.STATIC_ROOT).as_uri() + "/")
        started = time.perf_counter()
        reference = HTML(string=direct_html, base_url=settings.STATIC_ROOT).write_pdf()
        direct.append(time.perf_counter() - started)
        stored = report.pdf.size
        if abs(len(reference) - stored) > stored // 20:
            raise SystemExit(
                f"the direct rendering differs ({len(reference)} vs {stored} bytes): not the same PDF"
            )
        sizes.append((stored, len(reference)))
    return {
        "ours": statistics.median(ours),
        "direct": statistics.median(direct),
        "ours_runs": ours,
        "direct_runs": direct,
        "sizes": sizes,
        "months": list(range(published - runs, published)),
    }


# --- main ---------------------------------------------------------------------------------------


def _rounds(found: list) -> str:
    return ", ".join(f"{r:.0f}" for r in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="for CI: 1 round of 3 s, 1 approval")
    parser.add_argument("--seconds", type=int, help="length of each load round (10; 3 with --short)")
    parser.add_argument("--rounds", type=int, help="alternating rounds, median reported (3; 1 with --short)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.short else 10)
    args.rounds = args.rounds or (1 if args.short else 3)

    tmp = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    processes: list[subprocess.Popen] = []
    began = time.perf_counter()
    try:
        env, cache_name = prepare(tmp, processes)

        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.utils import timezone

        django.setup()
        print(f"database: {tmp}/bench.sqlite3; cache: {cache_name}; sessions: {settings.SESSION_ENGINE}")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        today = timezone.localdate()
        year = bench_year(today)
        started = time.perf_counter()
        big = seed(BIG, 30, 100, year, today)
        small = seed(SMALL, 3, 10, year, today)
        print(f"seeded in {time.perf_counter() - started:.1f} s, plans of {year} (today {today:%d.%m.%Y}):")
        for data in (big, small):
            print(
                f"  {data['council'].municipality.slug}: {data['activities']} activities, "
                f"{data['indicators']} indicators, {data['updates']} status updates, {data['values']} "
                f"indicator values; report of {data['report'].month:02d}/{year} published"
            )

        queries = {BIG: count_queries(big), SMALL: count_queries(small)}
        print("SQL queries per request (in-process, the second request of a session):")
        for name in big["pages"]:
            equal = "equal" if queries[BIG][name] == queries[SMALL][name] else "NOT EQUAL"
            print(
                f"  {name:<10} 100 activities: {queries[BIG][name]:>3}   "
                f"10 activities: {queries[SMALL][name]:>3}   {equal}"
            )

        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}="}
        cookie["Cookie"] += _client(big["skn"]).cookies[settings.SESSION_COOKIE_NAME].value
        targets = {
            "static": (STATIC, {}),
            "dashboard": (big["pages"]["dashboard"], cookie),
            "report": (big["pages"]["report"], {}),
            "progress": (big["pages"]["progress"], {}),
        }
        server, base = start_gunicorn(env, processes)
        print(
            f"client: {'wrk' if shutil.which('wrk') else 'python threads'}, {args.connections} connections, "
            f"{args.rounds} alternating rounds of {args.seconds} s each; {GUNICORN_LABEL}"
        )
        pages = measure_pages(base, targets, args)
        stop_server(server, processes)
        static = pages["static"][0]
        labels = {
            "static": f"static file {STATIC}",
            "dashboard": f"dashboard {targets['dashboard'][0]} (SKN member)",
            "report": f"report {targets['report'][0]}",
            "progress": f"progress {targets['progress'][0]}",
        }
        for name, (median, found, size) in pages.items():
            ratio = "" if name == "static" else f"; / static = {median / static:.3f}x"
            print(f"  {labels[name]}: {median:.0f} req/s (rounds: {_rounds(found)}; {size} bytes){ratio}")

        approval = measure_approval(big, year, 1 if args.short else APPROVAL_RUNS)
        ours_ms, direct_ms = approval["ours"] * 1000, approval["direct"] * 1000
        months = ", ".join(f"{m:02d}" for m in approval["months"])
        sizes = ", ".join(f"{stored}" for stored, _reference in approval["sizes"])
        print(
            f"report_approve (months {months}; PDFs of {sizes} bytes): {ours_ms:.0f} ms (runs: ",
            end="",
        )
        print(", ".join(f"{t * 1000:.0f}" for t in approval["ours_runs"]) + ")")
        references = ", ".join(f"{reference}" for _stored, reference in approval["sizes"])
        print(f"WeasyPrint on the same HTML ({references} bytes): {direct_ms:.0f} ms (runs: ", end="")
        print(", ".join(f"{t * 1000:.0f}" for t in approval["direct_runs"]) + ")")
        print(f"report_approve / WeasyPrint = {approval['ours'] / approval['direct']:.2f}x")
        print(f"whole run: {time.perf_counter() - began:.0f} s")
        if args.json:
            figures = {
                "seconds": args.seconds,
                "rounds": args.rounds,
                "queries": queries,
                "pages": {
                    name: {"path": targets[name][0], "rps": found[0], "rounds": found[1], "bytes": found[2]}
                    for name, found in pages.items()
                },
                "ratios": {name: pages[name][0] / static for name in pages if name != "static"},
                "approval": {**approval, "ratio": approval["ours"] / approval["direct"]},
            }
            args.json.write_text(json.dumps(figures, indent=2))
    finally:
        stop(processes, tmp, keep=args.keep)


if __name__ == "__main__":
    main()
