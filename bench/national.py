"""Benchmark: staff pages at national scale (issue 21, item 5).

1. Creates a throwaway PostgreSQL database on loopback (bench/compliance_seed.create_database) and
   builds every council (61) with five years of records each (bench/national_seed.py: plans
   approved at held meetings with minutes and decisions, an update every month of every activity,
   quarterly indicator values, monthly reports, SKN meetings, consultations and their concerns).
2. Lists every staff page of the authorization matrix (tests/authz/matrix.py: the GET addresses
   under /app/, pointed at Elbasan's records) that an SKN member, the chair and the national
   observer may open (the matrix expects 200), and counts, in this process through Django's test
   client, the SQL queries of each (the second request of a signed-in session).
3. Starts gunicorn (2 sync workers, production settings, PostgreSQL, Redis when installed) and
   measures requests per second of each page with the principal's session cookie, with wrk at 10
   connections, and of a static file on the same server before, between and after them (their
   median is the reference). Prints each page's ratio to the static file; an HTML page below 0.1x
   is flagged (downloads, such as PDFs, are listed but not held to it).

Run from the project's root: ``.venv/bin/python bench/national.py`` (about 10 minutes; options:
--councils, --years for a smaller set, --seconds, --connections, --only to measure some pages,
--json, --keep). Nothing outside the temporary folder and the throwaway database is written.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from bench.compliance import _table  # noqa: E402
from bench.compliance_seed import ADMIN_URL, create_database, end_database, migrate_into  # noqa: E402
from bench.monitoring import _check, _client, _python_client, _wrk  # noqa: E402
from bench.plan_page import STATIC, start_gunicorn, stop  # noqa: E402

TARGET = 0.1
PRINCIPALS = ("skn_municipality", "chair", "observer")


def staff_pages(pages) -> dict[str, str]:
    """The matrix's GET addresses under /app/, by row, pointed at ``pages`` (one council)."""
    from tests.authz.matrix import MATRIX

    ctx = {"own": pages, "other": pages}
    found = {}
    for key, row in MATRIX.items():
        try:
            path = row.path(ctx) if callable(row.path) else row.path
        except Exception:  # noqa: S112 -- objects this set lacks (the admin's, an agenda item)
            continue
        if path.startswith("/app/"):
            found[key] = path
    return found


def targets(pages) -> list[dict]:
    """(row, principal, path) for each staff page a principal may open, as the matrix says."""
    from tests.authz.matrix import MATRIX

    return [
        {"row": key, "principal": principal, "path": path}
        for key, path in staff_pages(pages).items()
        for principal in PRINCIPALS
        if MATRIX[key].get.get(principal) == 200
    ]


def count_queries(found: list[dict], users: dict) -> None:
    """Each target's SQL queries (the second request of a session, the public generation moved on
    first, so the caches under it are cold; then the next one, with them warm), status and type."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kvsp.core import public_cache

    clients = {principal: _client(user) for principal, user in users.items()}
    for target in found:
        client = clients[target["principal"]]
        client.get(target["path"])
        public_cache.bump()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target["path"])
        target["status"] = response.status_code
        target["queries"] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            client.get(target["path"])
        target["cached"] = len(captured)  # the next visit, with what the caches keep
        target["html"] = response.get("Content-Type", "").startswith("text/html")
    return clients


def measure(base: str, found: list[dict], cookies: dict, args) -> list[float]:
    """Requests per second of each 200 target and of the static file, between every tenth target."""
    load = _wrk if shutil.which("wrk") else _python_client
    static = []
    for n, target in enumerate(t for t in found if t["status"] == 200):
        if n % 10 == 0:
            static.append(load(base + STATIC, args.seconds, args.connections, {}))
        headers = cookies[target["principal"]]
        target["bytes"] = _check(base + target["path"], headers)
        target["rps"] = load(base + target["path"], args.seconds, args.connections, headers)
    static.append(load(base + STATIC, args.seconds, args.connections, {}))
    return static


def report(found: list[dict], static: list[float]) -> float:
    """Print the figures: a row per page and principal, then the static file and the verdict."""
    reference = statistics.median(static) if static else 0
    table = [["page (matrix row)", "principal", "status", "queries", "cached", "req/s", "/ static"]]
    measured = [t for t in found if "rps" in t]
    for t in found:
        t["ratio"] = t["rps"] / reference if "rps" in t else None
        flag = " BELOW" if t["ratio"] is not None and t["ratio"] < TARGET and t["html"] else ""
        table.append(
            [
                t["row"] + ("" if t["html"] else " (file)"),
                t["principal"],
                t["status"],
                t["queries"],
                t["cached"],
                f"{t['rps']:.0f}" if "rps" in t else "-",
                f"{t['ratio']:.3f}x{flag}" if t["ratio"] is not None else "-",
            ]
        )
    print()
    print(_table(table))
    print()
    if static:
        rounds = ", ".join(f"{s:.0f}" for s in static)
        print(f"static file {STATIC}: {reference:.0f} req/s (median of {rounds})")
        pages = [t for t in measured if t["html"]]
        worst = min(pages, key=lambda t: t["ratio"])
        print(f"slowest HTML page: {worst['row']} ({worst['principal']}) {worst['ratio']:.3f}x")
        slow = [t for t in pages if t["ratio"] < TARGET]
        print(f"HTML pages below {TARGET}x: {len(slow)} of {len(pages)}")
    return reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--councils", type=int, default=61, help="councils with records (61: all)")
    parser.add_argument("--years", type=int, default=5, help="years of records of each council (5)")
    parser.add_argument("--seconds", type=int, default=2, help="length of each page's load run (2)")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--only", help="measure only the rows whose name contains this")
    parser.add_argument("--no-load", action="store_true", help="count queries only, no server")
    parser.add_argument("--postgres", default=ADMIN_URL, help=f"a loopback PostgreSQL server ({ADMIN_URL})")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and the database")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    processes: list[subprocess.Popen] = []
    database = None
    began = time.perf_counter()
    try:
        database = create_database(args.postgres, prefix="kvsp_bench_national")
        env = migrate_into(database, tmp, processes)
        from django.conf import settings
        from django.utils import timezone

        from bench.national_seed import row_counts, seed

        started = time.perf_counter()
        data = seed(args.councils, args.years, timezone.localdate())
        seeded = time.perf_counter() - started
        rows = row_counts()
        print(
            f"seeded in {seeded:.0f} s: {data['councils']} councils, {data['years'][0]}-{data['years'][-1]}: "
            + ", ".join(f"{name} {n}" for name, n in rows.items())
        )
        measured = data["pages"]
        found = targets(measured["pages"])
        if args.only:
            found = [t for t in found if args.only in t["row"]]
        clients = count_queries(found, measured["principals"])
        static = []
        if not args.no_load:
            name = settings.SESSION_COOKIE_NAME
            cookies = {p: {"Cookie": f"{name}={c.cookies[name].value}"} for p, c in clients.items()}
            _server, base = start_gunicorn(env, processes)
            client = "wrk" if shutil.which("wrk") else "python threads"
            print(f"client: {client}, {args.connections} connections, {args.seconds} s per page")
            static = measure(base, found, cookies, args)
        reference = report(found, static)
        print(f"whole run: {time.perf_counter() - began:.0f} s (seeding {seeded:.0f} s)")
        if args.json:
            figures = {"rows": rows, "static": static, "reference": reference, "pages": found}
            args.json.write_text(json.dumps(figures, indent=2, default=str))
    finally:
        stop(processes, tmp, keep=args.keep)
        end_database(database, args.postgres, keep=args.keep)


if __name__ == "__main__":
    main()
