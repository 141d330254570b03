# ruff: noqa: S310, S603, S607 -- a benchmark starts local tools (gunicorn, wrk, redis-server) on loopback
"""Benchmark: the published plan's public page and its PDF (issue "[5/10] The multi-actor plan").

1. Builds a throwaway SQLite database in a temporary folder (migrations, then a published plan of
   30 problems / 100 activities made through plans.services, approved at a council meeting).
2. Starts gunicorn (2 sync workers) on loopback with production settings (DEBUG off, whitenoise
   with collected static files, Redis as the cache when redis-server is installed, else the
   embedded file cache), and measures requests per second of /<municipality>/plan/<year>/ and of a
   static file served by whitenoise (/static/css/kvsp.css) in the same run, in alternating rounds,
   with wrk when installed (else a small threaded Python client). Prints the ratio (target >= 0.7).
3. Times PDF generation through plans.exports.plan_pdf against WeasyPrint rendering the same HTML
   directly (the same PDF/UA-1 variant), and prints the ratio (target <= 1.2).

Run from the project's root: ``.venv/bin/python bench/plan_page.py`` (options: --short, --seconds,
--rounds, --connections, --pdf-runs, --json PATH, --keep). Nothing outside the temporary folder is written.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG, YEAR = "elbasan", 2026
PAGE = f"/{SLUG}/plan/{YEAR}/"
STATIC = "/static/css/kvsp.css"

SETTINGS = '''
"""Benchmark settings: production, on a throwaway SQLite database in {tmp}."""
from kvsp.settings.production import *  # noqa: F401,F403

DATABASES = {{"default": {{
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": "{tmp}/bench.sqlite3",
    "OPTIONS": {{"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}},
}}}}
STATIC_ROOT = "{tmp}/static"
MEDIA_ROOT = "{tmp}/media"
CACHES = {caches}
CELERY_TASK_ALWAYS_EAGER = True  # the approval's PDF task runs at once, as a worker would
CELERY_BROKER_URL = "memory://"
SECURE_SSL_REDIRECT = False
LOGGING = {{"version": 1, "disable_existing_loggers": False, "root": {{"level": "ERROR"}}}}
'''

# The same, with the plan page's fast path for anonymous visitors (kvsp/portal/plan_views.py) right
# after WhiteNoise, if the project's settings do not have it yet.
FAST_SETTINGS = """
from bench_settings import *  # noqa: F401,F403
from bench_settings import MIDDLEWARE

FAST_PATH = "kvsp.portal.plan_views.PlanPageCacheMiddleware"
if FAST_PATH not in MIDDLEWARE:
    MIDDLEWARE = list(MIDDLEWARE)
    MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, FAST_PATH)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(processes: list) -> str | None:
    """A private redis-server on a free port, if one is installed (added to ``processes``): its URL."""
    if not shutil.which("redis-server"):
        return None
    port = _free_port()
    processes.append(
        subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    return f"redis://127.0.0.1:{port}/0"


def prepare(tmp: Path, processes: list, extra_settings: str = "") -> tuple[dict, str]:
    """The benchmark's settings module (``SETTINGS`` with Redis when a redis-server can be started,
    else a file cache; then ``extra_settings``) written to ``tmp/bench_settings.py``, this process
    pointed at it, and the environment for the servers it starts: (env, the cache's name)."""
    backend = "django.core.cache.backends."
    redis_url = start_redis(processes)
    if redis_url:
        cache, cache_name = {"BACKEND": backend + "redis.RedisCache", "LOCATION": redis_url}, "Redis"
    else:
        cache = {"BACKEND": backend + "filebased.FileBasedCache", "LOCATION": f"{tmp}/cache"}
        cache_name = "file cache"
    settings_text = SETTINGS.format(tmp=tmp, caches=repr({"default": cache})) + extra_settings
    (tmp / "bench_settings.py").write_text(settings_text)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")})
    sys.path[:0] = [str(tmp), str(ROOT)]
    os.chdir(ROOT)
    return env, cache_name


def stop(processes: list, tmp: Path, *, keep: bool) -> None:
    """Stop the started processes, newest first, and remove the temporary folder unless kept."""
    for process in reversed(processes):
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    if keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer")
        time.sleep(0.3)


GUNICORN_LABEL = "gunicorn: 2 sync workers"


def start_gunicorn(env: dict, processes: list, ready_path: str = "/static/css/kvsp.css") -> tuple:
    """The project under gunicorn (2 sync workers, as a small production server) on a free
    loopback port, once ``ready_path`` answers 200: (the process, its base address)."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    port = _free_port()
    server = subprocess.Popen(
        [
            *(gunicorn, "kvsp.wsgi:application", "--workers", "2", "--worker-class", "sync"),
            *("--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    processes.append(server)
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + ready_path, server)
    return server, base


def stop_server(server: subprocess.Popen, processes: list) -> None:
    server.terminate()
    server.wait(timeout=10)
    processes.remove(server)


# --- the database -------------------------------------------------------------------------------


def seed() -> int:
    """A published plan of 30 problems and 100 activities, built through the services."""
    from datetime import timedelta

    from django.utils import timezone

    from councils import services as council_services
    from councils.meetings import services as meeting_services
    from councils.models import Council, Institution
    from plans import services
    from plans.demo import approve_at_meeting

    council = Council.objects.get(municipality__slug=SLUG)
    names = [
        ("Bashkia Elbasan", "a"),
        ("Drejtoria Vendore e Policisë Elbasan", "c"),
        ("Prokuroria e Rrethit Gjyqësor Elbasan", "d"),
        ("Zyra Arsimore Vendore Elbasan", "f"),
        ("Drejtoria e Shëndetit Publik Elbasan", "g"),
    ]
    institutions = []
    for name, category in names:
        institution = Institution.objects.create(name=name, category=category)
        council_services.seat_add(council=council, institution=institution)
        institutions.append(institution)
    meeting = meeting_services.meeting_create(
        council=council,
        kind="council",
        starts_at=timezone.now() - timedelta(days=3),
        place="Salla e Këshillit",
    )
    meeting = meeting_services.attendance_record(meeting=meeting, entries=[])  # held: its decision approves
    version = services.plan_start(council=council, year=YEAR)
    deadlines = [
        {"deadline_kind": "period", "deadline_period": "h1"},
        {"deadline_kind": "recurrence", "deadline_every_months": 2},
        {"deadline_kind": "all_year"},
        {"deadline_kind": "date", "deadline_date": timezone.localdate().replace(month=6, day=30)},
    ]
    activities = 0
    for p in range(30):
        problem = services.problem_add(
            version=version,
            number=f"{1 + p // 10}.{1 + p % 10}",
            title=f"Problemi {p + 1}: përdorimi i drogës te të rinjtë pranë shkollave",
            description="Raste të shpeshta të shitjes dhe përdorimit të drogës pranë shkollave të mesme.",
            statistics=f"{40 + p} raste të regjistruara në vitin {YEAR - 1}",
            statistics_source="Drejtoria Vendore e Policisë Elbasan",
            provenance="Përditësuar në mbledhjen e këshillit të 03.02.2026",
            priority=("high", "moderate", "low")[p % 3],
        )
        for a in range(4 if p < 10 else 3):
            activity = services.activity_add(
                problem=problem,
                text=f"Aktiviteti {a + 1}: orë edukative ligjore me nxënësit dhe prindërit e shkollave",
                lead=institutions[a % len(institutions)],
                partners=[institutions[(a + 1) % 5], institutions[(a + 2) % 5]],
                **deadlines[a % len(deadlines)],
            )
            activities += 1
            for i in range(1 + a % 2):
                services.indicator_add(
                    activity=activity,
                    name=f"Numri i orëve të zhvilluara ({i + 1})",
                    unit="orë",
                    baseline=0,
                    target=12 + a,
                    frequency="quarterly",
                )
    assert activities == 100
    approve_at_meeting(version, meeting, submitted_by=None, chair=None)
    return version.pk


# --- load ----------------------------------------------------------------------------------------


def _wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_client(url: str, seconds: int, connections: int) -> float:
    """A small threaded client (used when wrk is not installed): a new connection per request,
    as gunicorn's sync workers close each one."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    done = [0] * connections
    failed = []
    stop = time.monotonic() + seconds

    def run(index):
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            conn.request("GET", parts.path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                failed.append(response.status)
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


def measure_pages(base: str, args) -> dict:
    load = _wrk if shutil.which("wrk") else _python_client
    for url in (base + PAGE, base + STATIC):  # warm up: the page's body goes into the cache
        load(url, 2, args.connections)
    page, static = [], []
    for _round in range(args.rounds):
        static.append(load(base + STATIC, args.seconds, args.connections))
        page.append(load(base + PAGE, args.seconds, args.connections))
    return {
        "page": statistics.median(page),
        "static": statistics.median(static),
        "page_rounds": page,
        "static_rounds": static,
    }


# --- the PDF -------------------------------------------------------------------------------------


def measure_pdf(version_pk: int, runs: int) -> dict:
    from django.conf import settings
    from weasyprint import HTML

    from plans import exports
    from plans.models import PlanVersion

    version = PlanVersion.objects.get(pk=version_pk)
    html = exports.pdf_html(version)
    # WeasyPrint alone, on the same HTML: the (collected) static files read straight from the disk.
    direct_html = html.replace(settings.STATIC_URL, Path(settings.STATIC_ROOT).as_uri() + "/")
    ours, direct = [], []
    for _run in range(runs):
        started = time.perf_counter()
        pdf = exports.plan_pdf(PlanVersion.objects.get(pk=version_pk))
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        reference = HTML(string=direct_html, base_url=settings.STATIC_ROOT).write_pdf(
            pdf_variant=exports.PDF_VARIANT
        )
        direct.append(time.perf_counter() - started)
    if abs(len(reference) - len(pdf)) > len(pdf) // 20:
        raise SystemExit(
            f"the direct rendering differs ({len(reference)} vs {len(pdf)} bytes): not the same PDF"
        )
    return {
        "ours": statistics.median(ours),
        "direct": statistics.median(direct),
        "bytes": len(pdf),
        "reference_bytes": len(reference),
    }


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="for CI: 1 round of 3 s, 2 PDF runs")
    parser.add_argument("--seconds", type=int, help="length of each load round (10; 3 with --short)")
    parser.add_argument("--rounds", type=int, help="alternating rounds, median reported (3; 1 with --short)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pdf-runs", type=int, help="PDF runs, median reported (5; 2 with --short)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.short else 10)
    args.rounds = args.rounds or (1 if args.short else 3)
    args.pdf_runs = args.pdf_runs or (2 if args.short else 5)
    figures = {"seconds": args.seconds, "rounds": args.rounds, "connections": args.connections, "pages": {}}

    tmp = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    processes: list[subprocess.Popen] = []
    try:
        env, cache_name = prepare(tmp, processes)
        (tmp / "bench_settings_fast.py").write_text(FAST_SETTINGS)

        import django
        from django.core.management import call_command

        django.setup()
        print(f"database: {tmp}/bench.sqlite3; cache: {cache_name}")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.perf_counter()
        version_pk = seed()
        print(f"seeded a published 30-problem / 100-activity plan in {time.perf_counter() - started:.1f} s")

        from django.conf import settings

        configurations = [("the project's MIDDLEWARE", "bench_settings")]
        if "kvsp.portal.plan_views.PlanPageCacheMiddleware" not in settings.MIDDLEWARE:
            configurations.append(("with PlanPageCacheMiddleware after WhiteNoise", "bench_settings_fast"))
        print(
            f"client: {'wrk' if shutil.which('wrk') else 'python threads'}, {args.connections} connections, "
            f"{args.rounds} alternating rounds of {args.seconds} s each; {GUNICORN_LABEL}"
        )
        for label, module in configurations:
            server, base = start_gunicorn({**env, "DJANGO_SETTINGS_MODULE": module}, processes, PAGE)
            pages = measure_pages(base, args)
            stop_server(server, processes)
            ratio = pages["page"] / pages["static"]
            figures["pages"][label] = {**pages, "ratio": ratio}
            print(f"[{label}]")
            print(
                f"  static file {STATIC}: {pages['static']:.0f} req/s (rounds: "
                + ", ".join(f"{r:.0f}" for r in pages["static_rounds"])
                + ")"
            )
            print(
                f"  plan page {PAGE}: {pages['page']:.0f} req/s (rounds: "
                + ", ".join(f"{r:.0f}" for r in pages["page_rounds"])
                + ")"
            )
            print(
                f"  page / static = {ratio:.2f}x (target >= 0.7x): {'OK' if ratio >= 0.7 else 'BELOW TARGET'}"
            )

        pdf = measure_pdf(version_pk, args.pdf_runs)
        pdf_ratio = pdf["ours"] / pdf["direct"]
        verdict = "OK" if pdf_ratio <= 1.2 else "ABOVE TARGET"
        print(f"PDF through plans.exports.plan_pdf: {pdf['ours'] * 1000:.0f} ms ({pdf['bytes']} bytes)")
        direct_ms = pdf["direct"] * 1000
        print(f"WeasyPrint on the same HTML:        {direct_ms:.0f} ms ({pdf['reference_bytes']} bytes)")
        print(f"plan_pdf / WeasyPrint = {pdf_ratio:.2f}x (target <= 1.2x): {verdict}")
        if args.json:
            figures["pdf"] = {**pdf, "ratio": pdf_ratio, "runs": args.pdf_runs}
            args.json.write_text(json.dumps(figures, indent=2))
    finally:
        stop(processes, tmp, keep=args.keep)


if __name__ == "__main__":
    main()
