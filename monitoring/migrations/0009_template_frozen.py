"""Database triggers: an approved version of a council's report template never changes and is never
deleted — whatever code runs (the services refuse first). A change is a new version."""

from django.db import migrations

MESSAGE = "monitoring: an approved report template never changes; draft a new version"
FIXED = ["council_id", "number", "sections", "approved_at", "approved_by_id", "status"]


def _condition(distinct: str) -> str:
    changed = " OR ".join(f"NEW.{column} {distinct} OLD.{column}" for column in FIXED)
    return f"OLD.status = 'approved' AND ({changed})"


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        create = [
            "CREATE OR REPLACE FUNCTION monitoring_refuse_template() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END; "
            "$$ LANGUAGE plpgsql;",
            "CREATE TRIGGER monitoring_template_fixed BEFORE UPDATE ON monitoring_reporttemplate "
            f"FOR EACH ROW WHEN ({_condition('IS DISTINCT FROM')}) "
            "EXECUTE FUNCTION monitoring_refuse_template();",
            "CREATE TRIGGER monitoring_template_kept BEFORE DELETE ON monitoring_reporttemplate "
            "FOR EACH ROW WHEN (OLD.status = 'approved') EXECUTE FUNCTION monitoring_refuse_template();",
        ]
        drop = [
            "DROP TRIGGER IF EXISTS monitoring_template_fixed ON monitoring_reporttemplate;",
            "DROP TRIGGER IF EXISTS monitoring_template_kept ON monitoring_reporttemplate;",
            "DROP FUNCTION IF EXISTS monitoring_refuse_template();",
        ]
        return create, drop
    if vendor == "sqlite":  # no delete guard: Django empties an SQLite test database with DELETE
        create = [
            "CREATE TRIGGER monitoring_template_fixed BEFORE UPDATE ON monitoring_reporttemplate "
            f"WHEN {_condition('IS NOT')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        ]
        return create, ["DROP TRIGGER IF EXISTS monitoring_template_fixed;"]
    raise RuntimeError(f"no template guard for {vendor}")  # pragma: no cover


def forwards(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0008_report_template")]
    operations = [migrations.RunPython(forwards, backwards)]
