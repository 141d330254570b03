# ruff: noqa: S603 -- runs the project's own benchmark scripts with this interpreter
"""Every benchmark in one command (issue 11, item 6): plan_page, monitoring, compliance,
reminders and load, one after the other, each writing its figures as JSON (``--json``), then one
table of the ratios measured within each script's own run.

Run from the project's root: ``.venv/bin/python bench/run_all.py --short`` (for CI: each script
with ``--short``) or without ``--short`` (each script's full run). ``--only NAME`` (repeatable)
runs some of them; ``--json PATH`` writes the collected figures; ``--postgres URL`` is passed to
the scripts that need PostgreSQL.

It fails (exit 1) only on real errors: a script that exits non-zero (a crash, a failed or
timed-out request, the load test's errors), or a query count that differs between a script's
small and large data sets. Timings and ratios are reported, never gated: the machine is shared.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SCRIPTS = ("plan_page", "monitoring", "compliance", "reminders", "load")
POSTGRES = ("compliance", "reminders")


def run(name: str, args, folder: Path) -> tuple[int, float, dict | None]:
    out = folder / f"{name}.json"
    command = [sys.executable, str(BENCH / f"{name}.py"), "--json", str(out)]
    if args.short:
        command.append("--short")
    if args.postgres and name in POSTGRES:
        command += ["--postgres", args.postgres]
    print(f"::: {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    seconds = time.perf_counter() - started
    figures = json.loads(out.read_text()) if out.exists() else None
    print(f"::: {name}: exit {code} in {seconds:.0f} s", flush=True)
    return code, seconds, figures


def _same(label: str, small, large, problems: list) -> str:
    if small != large:
        problems.append(f"{label}: {small} vs {large}")
        return f"{small} / {large} NOT EQUAL"
    return f"{small} / {large} equal"


def _times(small: float, large: float) -> str:
    return f"{large / small:.1f}x ({small:.0f} / {large:.0f} ms)"


def rows_for(name: str, f: dict, problems: list) -> list[list[str]]:
    """(benchmark, figure, value) rows of one script's figures; query-count mismatches appended
    to ``problems``."""
    rows = []
    if name == "plan_page":
        for label, pages in f["pages"].items():
            rows.append([name, f"plan page / static ({label})", f"{pages['ratio']:.2f}x"])
        pdf = f["pdf"]
        rows.append([name, "plan_pdf / WeasyPrint", f"{pdf['ratio']:.2f}x ({pdf['ours'] * 1000:.0f} ms)"])
    elif name == "monitoring":
        for page, ratio in f["ratios"].items():
            rows.append([name, f"{page} / static", f"{ratio:.3f}x ({f['pages'][page]['rps']:.0f} req/s)"])
        big, small = f["queries"].values()
        for page in big:
            rows.append(
                [
                    name,
                    f"SQL queries {page}, 100 / 10 activities",
                    _same(page, big[page], small[page], problems),
                ]
            )
        approval = f["approval"]
        rows.append(
            [
                name,
                "report_approve / WeasyPrint",
                f"{approval['ratio']:.2f}x ({approval['ours'] * 1000:.0f} ms)",
            ]
        )
    elif name == "compliance":
        small, large = f["small"], f["large"]
        for label in ("small", "large"):
            pages = f[label]["pages"]
            rows.append(
                [
                    name,
                    f"/compliance/ / static, {label} set (warm)",
                    f"{f[label]['ratio']:.3f}x ({pages['compliance'][0]:.0f} req/s)",
                ]
            )
        rows.append(
            [
                name,
                "SQL queries national_records, small / large",
                _same("national_records", small["queries"], large["queries"], problems),
            ]
        )
        rows.append(
            [
                name,
                "SQL queries GET /compliance/ uncached, small / large",
                _same("compliance page", small["page_cold"], large["page_cold"], problems),
            ]
        )
        rows.append(
            [
                name,
                "SQL queries GET /compliance/ cached, small / large",
                _same("compliance page cached", small["page_warm"], large["page_warm"], problems),
            ]
        )
        rows.append(
            [
                name,
                "national_records uncached, large / small time",
                f"{large['ms'] / small['ms']:.1f}x ({small['ms']:.0f} / {large['ms']:.0f} ms)",
            ]
        )
    elif name == "reminders":
        small, large = f["small"], f["large"]
        sizes = f"{small['activities']} / {large['activities']} activities"
        rows.append(
            [
                name,
                f"SQL queries due(), {sizes}",
                _same("due", small["due_queries"], large["due_queries"], problems),
            ]
        )
        rows.append(
            [
                name,
                "SQL queries send(), fresh",
                _same("send", small["send_queries"], large["send_queries"], problems),
            ]
        )
        rows.append(
            [
                name,
                "SQL queries send(), again",
                _same("send again", small["again_queries"], large["again_queries"], problems),
            ]
        )
        if small["created_again"] or large["created_again"]:
            problems.append("reminders: a second send created notifications")
        rows.append(
            [
                name,
                "due() large / small time",
                _times(small["due_ms"], large["due_ms"]),
            ]
        )
        rows.append(
            [
                name,
                "send() large / small time",
                _times(small["send_ms"], large["send_ms"]),
            ]
        )
    elif name == "load":
        rows.append(
            [
                name,
                f"mix / static throughput ({f['connections']} clients, {f['seconds']} s)",
                f"{f['rps_ratio']:.3f}x ({f['mix_rps']:.0f} / {f['static_rps']:.0f} req/s)",
            ]
        )
        rows.append(
            [
                name,
                "mix / static p95 latency",
                f"{f['p95_ratio']:.1f}x ({f['mix_p95_ms']:.0f} / {f['static_p95_ms']:.1f} ms)",
            ]
        )
        rows.append([name, "errors (non-2xx/3xx, socket)", str(f["errors"])])
        if f["errors"]:
            problems.append(f"load: {f['errors']} errors")
    return rows


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="each script's --short (for CI)")
    parser.add_argument("--only", action="append", choices=SCRIPTS, help="run only these (repeatable)")
    parser.add_argument("--postgres", help="a loopback PostgreSQL server for compliance and reminders")
    parser.add_argument("--json", type=Path, help="write the collected figures as JSON to this path")
    args = parser.parse_args()

    began = time.perf_counter()
    collected, failures, problems = {}, [], []
    rows = [["benchmark", "figure", "value"]]
    durations = []
    with tempfile.TemporaryDirectory(prefix="kvsp-bench-all-") as folder:
        for name in args.only or SCRIPTS:
            code, seconds, figures = run(name, args, Path(folder))
            durations.append(f"{name} {seconds:.0f} s" + ("" if code == 0 else f" (exit {code})"))
            collected[name] = {"exit": code, "seconds": seconds, "figures": figures}
            if code != 0:
                failures.append(f"{name}: exit {code}")
            if figures is not None:
                try:
                    rows += rows_for(name, figures, problems)
                except (KeyError, TypeError, ZeroDivisionError) as error:
                    failures.append(f"{name}: figures unreadable ({error!r})")
            elif code == 0:
                failures.append(f"{name}: wrote no figures")
    total = time.perf_counter() - began
    print()
    print(f"Benchmarks ({'short' if args.short else 'full'}): ratios within each script's own run")
    print(table(rows))
    print(f"durations: {', '.join(durations)}; total {total:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"short": args.short, "total_seconds": total, **collected}, indent=2))
    for line in failures + problems:
        print(f"FAILED: {line}")
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
