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
   and status updates: about 10x the rows the checks read. The database and the data are made in
   bench/compliance_seed.py.
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
import json
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# As bench/monitoring.py does: the project's root first, this folder off sys.path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from bench.compliance_seed import (  # noqa: E402
    ADMIN_URL,
    create_database,
    end_database,
    grow,
    migrate_into,
    row_counts,
    seed_small,
)
from bench.monitoring import measure_pages  # noqa: E402
from bench.plan_page import STATIC, start_gunicorn, stop, stop_server  # noqa: E402

PAGE = "/compliance/"
TARGET = 0.1


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
        env = migrate_into(database, tmp, processes)
        from django.utils import timezone

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
        end_database(database, args.postgres, keep=args.keep)


if __name__ == "__main__":
    main()
