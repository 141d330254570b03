"""Database triggers: a status update is never changed (and, on PostgreSQL, never deleted); an
approved monthly report's content, PDF and SHA-256 never change, it never goes back to an earlier
status, and (on PostgreSQL) it is never deleted — whatever code runs (the services refuse first).

As in plans/migrations/0002, SQLite (the embedded default) gets no delete guard: Django empties an
SQLite test database with DELETE, which a trigger would stop."""

from django.db import migrations

UPDATE_MESSAGE = "monitoring: a status update never changes; record a new one"
REPORT_MESSAGE = "monitoring: an approved report never changes"
FROZEN = "('approved', 'published')"
# Columns fixed at approval (publication's date once published); a signed scan may be added
# once, never replaced.
FIXED = [
    "council_id",
    "year",
    "month",
    "summary",
    "difficulties",
    "proposals",
    "content",
    "pdf",
    "sha256",
    "plan_version_id",
    "approved_at",
    "approved_by_id",
    "submitted_at",
    "submitted_by_id",
]


def _report_condition(distinct: str) -> str:
    changed = " OR ".join(f"NEW.{column} {distinct} OLD.{column}" for column in FIXED)
    return (
        f"OLD.status IN {FROZEN} AND ({changed} OR NEW.status NOT IN {FROZEN} "
        f"OR (OLD.status = 'published' AND NEW.status <> 'published') "
        f"OR (OLD.status = 'published' AND NEW.published_at {distinct} OLD.published_at) "
        f"OR (OLD.signed_scan <> '' AND NEW.signed_scan {distinct} OLD.signed_scan))"
    )


def _postgresql() -> tuple[list[str], list[str]]:
    create = []
    for name, message in (("update", UPDATE_MESSAGE), ("report", REPORT_MESSAGE)):
        create.append(
            f"""
            CREATE OR REPLACE FUNCTION monitoring_refuse_{name}() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'; END;
            $$ LANGUAGE plpgsql;
            """
        )
    create += [
        "CREATE TRIGGER monitoring_update_fixed BEFORE UPDATE OR DELETE ON monitoring_statusupdate "
        "FOR EACH ROW EXECUTE FUNCTION monitoring_refuse_update();",
        "CREATE TRIGGER monitoring_report_fixed BEFORE UPDATE ON monitoring_monthlyreport FOR EACH ROW "
        f"WHEN ({_report_condition('IS DISTINCT FROM')}) EXECUTE FUNCTION monitoring_refuse_report();",
        "CREATE TRIGGER monitoring_report_kept BEFORE DELETE ON monitoring_monthlyreport FOR EACH ROW "
        f"WHEN (OLD.status IN {FROZEN}) EXECUTE FUNCTION monitoring_refuse_report();",
    ]
    drop = [
        "DROP TRIGGER IF EXISTS monitoring_update_fixed ON monitoring_statusupdate;",
        "DROP TRIGGER IF EXISTS monitoring_report_fixed ON monitoring_monthlyreport;",
        "DROP TRIGGER IF EXISTS monitoring_report_kept ON monitoring_monthlyreport;",
        "DROP FUNCTION IF EXISTS monitoring_refuse_update();",
        "DROP FUNCTION IF EXISTS monitoring_refuse_report();",
    ]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    create = [
        "CREATE TRIGGER monitoring_update_fixed BEFORE UPDATE ON monitoring_statusupdate "
        f"BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END;",
        "CREATE TRIGGER monitoring_report_fixed BEFORE UPDATE ON monitoring_monthlyreport "
        f"WHEN {_report_condition('IS NOT')} BEGIN SELECT RAISE(ABORT, '{REPORT_MESSAGE}'); END;",
    ]
    drop = [
        "DROP TRIGGER IF EXISTS monitoring_update_fixed;",
        "DROP TRIGGER IF EXISTS monitoring_report_fixed;",
    ]
    return create, drop


def _run(apps, schema_editor, *, forward: bool):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        create, drop = _postgresql()
    elif vendor == "sqlite":
        create, drop = _sqlite()
    else:  # pragma: no cover - the product supports PostgreSQL and the embedded SQLite only
        raise RuntimeError(f"no monitoring guard for {vendor}")
    for statement in create if forward else drop:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(apps, schema_editor, forward=True)


def backwards(apps, schema_editor):
    _run(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
