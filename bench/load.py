# ruff: noqa: S310, S603 -- a benchmark starts local tools (gunicorn, wrk, redis-server) on loopback
"""Benchmark: a bounded load test of the public pages (issue 11, item 5).

1. Builds a throwaway SQLite database in a temporary folder as bench/plan_page.py does (its
   settings, its seed: Elbasan's published plan of 30 problems / 100 activities), and adds, through
   monitoring.services, the published report of the last whole month (written by an SKN member,
   approved by the chair).
2. Starts gunicorn (2 sync workers) on loopback with the production settings (collected static
   files, Redis as the cache when redis-server is installed), checks each public address for a
   200 (an address missing from the URLconf, a 404, is left out and said; anything else stops the
   run), then runs wrk: the static file /static/css/kvsp.css alone, then the mix of public pages
   rotated by a Lua script, with the same clients for the same time, and again the static file.
3. Prints requests per second, p50/p95/p99 latency, non-2xx/3xx responses and socket errors
   (connect, read, write, timeout) of each run, and the ratios mix / static (the static figures
   are the mean of its two runs around the mix). Exits non-zero on any error.

Run from the project's root: ``.venv/bin/python bench/load.py`` (50 clients, 60 s) or ``--short``
(for CI: 20 clients, 10 s). Options: --connections, --seconds, --threads, --json PATH, --keep.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from bench.plan_page import (  # noqa: E402
    GUNICORN_LABEL,
    SLUG,
    STATIC,
    YEAR,
    prepare,
    seed,
    start_gunicorn,
    stop,
    stop_server,
)

# wrk's Lua: rotate the paths (each thread from its own start), and print the figures wrk's text
# output lacks (p95, every error counter) as one JSON line at the end.
LUA = """
paths = {paths}
counter = 0
function setup(thread)
  thread:set("counter", math.random(#paths))
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function done(summary, latency, requests)
  io.write(string.format(
    'FIGURES {{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def candidate_paths(report_path: str) -> list[str]:
    return [
        "/",
        f"/{SLUG}/",
        f"/{SLUG}/plan/",
        f"/{SLUG}/plan/{YEAR}/",
        "/compliance/",
        f"/{SLUG}/reports/",
        report_path,
        "/api/v1/councils/",
        f"/api/v1/councils/{SLUG}/",
    ]


def add_report() -> str:
    """The published report of the last whole month of YEAR, through the services."""
    from django.utils import timezone

    from bench.monitoring import _person, _report
    from councils.models import Council, Institution, Role

    council = Council.objects.select_related("municipality").get(municipality__slug=SLUG)
    institution = Institution.objects.get(name="Bashkia Elbasan")
    chair, _ = _person(council, institution, Role.CHAIR, "kryetari@load.bench", "Gazmend Oketa")
    skn, _ = _person(council, institution, Role.SKN_MUNICIPALITY, "skn@load.bench", "Elona Dervishi")
    today = timezone.localdate()
    month = today.month - 1 if today.year == YEAR else 12
    if month < 1 or today < date(YEAR, 1, 1):
        raise SystemExit(f"no whole month of {YEAR} is over on {today}")
    _report(council, YEAR, month, skn, chair)
    return f"/{SLUG}/reports/{YEAR}/{month}/"


def check_paths(base: str, paths: list[str]) -> tuple[list[str], list[str]]:
    """The paths answering 200 and those missing (404); anything else stops the run."""
    found, missing = [], []
    for path in paths:
        try:
            with urllib.request.urlopen(base + path, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status == 200:
            found.append(path)
        elif status == 404:
            missing.append(path)
        else:
            raise SystemExit(f"{path}: {status}, not 200")
    return found, missing


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, threads: int, tmp: Path) -> dict:
    script = tmp / f"paths_{len(paths)}.lua"
    script.write_text(LUA.format(paths="{" + ", ".join(json.dumps(p) for p in paths) + "}"))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    out = subprocess.run(
        [*command, "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout
    figures = json.loads(re.search(r"^FIGURES (\{.*\})$", out, re.MULTILINE).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx_3xx"] = int(non_2xx.group(1)) if non_2xx else 0
    figures["socket_errors"] = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["output"] = out
    return figures


def _line(label: str, f: dict) -> str:
    return (
        f"  {label}: {f['rps']:.0f} req/s, {f['requests']} requests; "
        f"latency p50 {f['p50_us'] / 1000:.1f} ms, "
        f"p95 {f['p95_us'] / 1000:.1f} ms, p99 {f['p99_us'] / 1000:.1f} ms; non-2xx/3xx {f['non_2xx_3xx']}, "
        f"socket errors {f['socket_errors']} (connect {f['connect']}, read {f['read']}, write {f['write']}, "
        f"timeout {f['timeout']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="for CI: 20 clients, 10 s")
    parser.add_argument("--seconds", type=int, help="length of the mix's run (60; 10 with --short)")
    parser.add_argument("--connections", type=int, help="concurrent clients (50; 20 with --short)")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this path")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.seconds = args.seconds or (10 if args.short else 60)
    args.connections = args.connections or (20 if args.short else 50)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")

    tmp = Path(tempfile.mkdtemp(prefix="kvsp-bench-"))
    processes: list[subprocess.Popen] = []
    began = time.perf_counter()
    try:
        env, cache_name = prepare(
            tmp, processes, 'EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"\n'
        )

        import django
        from django.core.management import call_command

        django.setup()
        print(f"database: {tmp}/bench.sqlite3; cache: {cache_name}")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.perf_counter()
        seed()
        report_path = add_report()
        setup_s = time.perf_counter() - started
        print(f"seeded a published 100-activity plan and the report {report_path} in {setup_s:.1f} s")

        server, base = start_gunicorn(env, processes)
        paths, missing = check_paths(base, candidate_paths(report_path))
        if missing:
            print("left out (404): " + ", ".join(missing))
        print("mix: " + ", ".join(paths))
        check_paths(base, paths)  # twice: the caches are warm before the load
        print(
            f"client: wrk, {args.threads} threads, {args.connections} connections, 30 s timeout; "
            f"static {args.seconds // 2} s, mix {args.seconds} s, static {args.seconds // 2} s; "
            f"{GUNICORN_LABEL}"
        )
        half = max(2, args.seconds // 2)
        static_before = run_wrk(base, [STATIC], half, args.connections, args.threads, tmp)
        mix = run_wrk(base, paths, args.seconds, args.connections, args.threads, tmp)
        static_after = run_wrk(base, [STATIC], half, args.connections, args.threads, tmp)
        after, _missing = check_paths(base, paths)
        stop_server(server, processes)

        static = {
            "rps": (static_before["rps"] + static_after["rps"]) / 2,
            "p95_us": (static_before["p95_us"] + static_after["p95_us"]) / 2,
        }
        print(_line(f"static file {STATIC} (before)", static_before))
        print(_line(f"public mix of {len(paths)} addresses", mix))
        print(_line(f"static file {STATIC} (after)", static_after))
        rps_ratio = mix["rps"] / static["rps"]
        p95_ratio = mix["p95_us"] / static["p95_us"] if static["p95_us"] else float("inf")
        print(f"mix / static: throughput {rps_ratio:.3f}x, p95 latency {p95_ratio:.1f}x")
        errors = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in (static_before, mix, static_after))
        errors += len(paths) - len(after)
        print(f"errors: {errors}; whole run: {time.perf_counter() - began:.0f} s")
        if errors:
            for label, run in (
                ("static before", static_before),
                ("mix", mix),
                ("static after", static_after),
            ):
                print(f"--- wrk, {label}:\n{run['output']}")
        if args.json:
            runs = {"static_before": static_before, "mix": mix, "static_after": static_after}
            for run in runs.values():
                run.pop("output")
            args.json.write_text(
                json.dumps(
                    {
                        "connections": args.connections,
                        "seconds": args.seconds,
                        "paths": paths,
                        "missing": missing,
                        **runs,
                        "static_rps": static["rps"],
                        "static_p95_ms": static["p95_us"] / 1000,
                        "mix_rps": mix["rps"],
                        "mix_p95_ms": mix["p95_us"] / 1000,
                        "rps_ratio": rps_ratio,
                        "p95_ratio": p95_ratio,
                        "errors": errors,
                        "seconds_total": time.perf_counter() - began,
                    },
                    indent=2,
                )
            )
        if errors:
            raise SystemExit(f"{errors} errors under load")
    finally:
        stop(processes, tmp, keep=args.keep)


if __name__ == "__main__":
    main()
