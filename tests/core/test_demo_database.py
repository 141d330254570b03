"""`make demo` migrates an embedded SQLite file, whatever database the suite runs on: every
migration must apply there, including those that rebuild a table its guards (triggers) name."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_migration_applies_to_a_fresh_sqlite_file(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.dev",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "demo.sqlite3").stat().st_size > 0

    # The migrations that rebuild guarded tables lay the guards again: every table an approved plan
    # version or report freezes still has its triggers (a rebuilt table loses them silently).
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        guarded = {
            table for (table,) in db.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert {
        "plans_planversion",
        "plans_planproblem",
        "plans_planproblem_institutions",
        "plans_planproblem_actors",
        "plans_activity",
        "plans_activity_partners",
        "plans_activity_actors",
        "plans_indicator",
        "monitoring_statusupdate",
        "monitoring_monthlyreport",
        "monitoring_reporttemplate",
    } <= guarded
