# ruff: noqa: S603, S607 -- runs git and make, the README's own commands
"""First contact (issue 25, item 3): from an empty clone, `make demo` up to its first page.

    .venv/bin/python bench/setup.py                 # clones this checkout's HEAD into a temporary folder
    .venv/bin/python bench/setup.py --source URL --keep --json out.json

It clones the repository (``git clone``, so only committed files: nothing of this checkout's venv,
var/ or node_modules), runs ``make demo`` in the clone with ``DEMO_ADDRESS`` on a free port and no
DATABASE_URL / REDIS_URL (the embedded SQLite and filesystem broker, as a new user has), and
measures the seconds until the home page first answers HTTP 200, the seconds of each step (from
the step lines `make demo` prints) and the number of console lines up to the demo's last line
("KVSP demo: ..."). Then it stops the demo (Ctrl-C, as a person would) and removes the clone.

Not part of the CI run (bench/run_all.py): it installs a whole virtualenv and takes about two
minutes. The figures depend on the package caches: with uv's and pip's caches warm (this machine
after one install), the install is a few seconds; cold, add the downloads.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 120
LIMIT_LINES = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=str(ROOT), help="repository to clone (default: this one)")
    parser.add_argument("--timeout", type=int, default=600, help="give up after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its var/ has the logs)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kvsp-setup-"))
    clone = folder / "kvsp"
    started = time.monotonic()
    subprocess.run(["git", "clone", "-q", args.source, str(clone)], check=True)
    cloned = time.monotonic() - started
    port = free_port()
    address = f"127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "KVSP_SITE_URL")}
    env["DEMO_ADDRESS"] = address
    lines: list[tuple[float, str]] = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begun = time.monotonic()
    demo = subprocess.Popen(
        ["make", "demo"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read() -> None:
        assert demo.stdout is not None
        for line in demo.stdout:
            lines.append((time.monotonic() - begun, line.rstrip("\n")))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    first_page = None
    while time.monotonic() - begun < args.timeout and demo.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{address}/", timeout=5) as response:
                if response.status == 200:
                    first_page = time.monotonic() - begun
                    break
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    # The accounts come after the first page: wait for the demo's last line.
    waited = time.monotonic()
    while time.monotonic() - waited < 300 and not any(text.startswith("KVSP demo:") for _, text in lines):
        if demo.poll() is not None:
            break
        time.sleep(0.2)
    settled = len(lines)
    if demo.poll() is None:
        os.killpg(demo.pid, signal.SIGINT)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    reader.join(timeout=5)
    # CPU seconds of every process of `make demo` (reaped ones), from start to stop: on a shared
    # machine the wall-clock time moves with the others' load, this much less.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    steps = []
    marks = [(at, text) for at, text in lines if text.endswith(" ...") and not text.startswith("Stopping")]
    ends = [at for at, _ in marks[1:]] + [first_page if first_page is not None else time.monotonic() - begun]
    for (at, text), end in zip(marks, ends, strict=True):
        steps.append({"step": text.rstrip(" ."), "seconds": round(end - at, 1)})
    figures = {
        "clone_seconds": round(cloned, 1),
        "first_page_seconds": round(first_page, 1) if first_page is not None else None,
        "console_lines": settled,
        "cpu_seconds": round(cpu, 1),
        "load_average": os.getloadavg(),
        "steps": steps,
        "accounts_last": bool(lines[:settled]) and lines[settled - 1][1].startswith("KVSP demo:"),
        "exit": demo.returncode,
    }
    print("Console of `make demo` (seconds since start):")
    for t, text in lines:
        print(f"  {t:6.1f}  {text}")
    print()
    for step in steps:
        print(f"  {step['step']:<60} {step['seconds']:6.1f} s")
    print(f"clone: {cloned:.1f} s")
    print(f"CPU of make demo, start to stop: {cpu:.0f} s; load average now: {os.getloadavg()[0]:.1f}")
    if first_page is None:
        print(f"first page: none within {args.timeout} s")
    else:
        verdict = "within" if first_page <= LIMIT_SECONDS else "OVER"
        print(f"first page: {first_page:.1f} s ({verdict} the {LIMIT_SECONDS} s target)")
    verdict = "under" if settled < LIMIT_LINES else "NOT under"
    print(f"console lines up to the demo's address: {settled} ({verdict} {LIMIT_LINES})")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    if args.keep:
        print(f"clone kept in {clone}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if first_page is not None else 1


if __name__ == "__main__":
    sys.exit(main())
