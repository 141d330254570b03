"""Database triggers: an approved plan version, its problems, activities, partners and indicators
are never updated or deleted, and nothing is added to them — whatever code runs (the services
refuse it first). PostgreSQL and SQLite each get their own dialect.

On SQLite (the embedded default, for trying and developing) deletes are not guarded: Django empties
an SQLite test database with DELETE, which a trigger would stop; PostgreSQL empties with TRUNCATE,
which row triggers do not see, so there every delete is guarded too."""

from django.db import migrations

MESSAGE = "plans: an approved plan version never changes"

# (table, SQL giving the status of the row's version from a row alias r)
CHILDREN = [
    ("plans_planproblem", "SELECT v.status FROM plans_planversion v WHERE v.id = r.version_id"),
    (
        "plans_activity",
        "SELECT v.status FROM plans_planversion v JOIN plans_planproblem p ON p.version_id = v.id "
        "WHERE p.id = r.problem_id",
    ),
    (
        "plans_activity_partners",
        "SELECT v.status FROM plans_planversion v JOIN plans_planproblem p ON p.version_id = v.id "
        "JOIN plans_activity a ON a.problem_id = p.id WHERE a.id = r.activity_id",
    ),
    (
        "plans_indicator",
        "SELECT v.status FROM plans_planversion v JOIN plans_planproblem p ON p.version_id = v.id "
        "JOIN plans_activity a ON a.problem_id = p.id WHERE a.id = r.activity_id",
    ),
    (
        "plans_planproblem_concerns",
        "SELECT v.status FROM plans_planversion v JOIN plans_planproblem p ON p.version_id = v.id "
        "WHERE p.id = r.planproblem_id",
    ),
]


def _postgresql() -> tuple[list[str], list[str]]:
    create = [
        f"""
        CREATE OR REPLACE FUNCTION plans_refuse_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER plans_version_frozen BEFORE UPDATE OR DELETE ON plans_planversion
        FOR EACH ROW WHEN (OLD.status = 'approved') EXECUTE FUNCTION plans_refuse_change();
        """,
    ]
    drop = ["DROP TRIGGER IF EXISTS plans_version_frozen ON plans_planversion;"]
    for table, status_sql in CHILDREN:
        function = f"{table}_guard"
        create.append(
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            DECLARE r record; st text;
            BEGIN
              IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
              {status_sql.replace("SELECT v.status", "SELECT v.status INTO st")};
              IF st = 'approved' THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              IF TG_OP = 'UPDATE' THEN
                r := OLD;
                {status_sql.replace("SELECT v.status", "SELECT v.status INTO st")};
                IF st = 'approved' THEN
                  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        create.append(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();"
        )
        drop += [f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};", f"DROP FUNCTION IF EXISTS {function}();"]
    drop.append("DROP FUNCTION IF EXISTS plans_refuse_change();")
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    create = [
        f"""CREATE TRIGGER plans_version_frozen_update BEFORE UPDATE ON plans_planversion
        WHEN OLD.status = 'approved' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    ]
    drop = ["DROP TRIGGER IF EXISTS plans_version_frozen_update;"]
    for table, status_sql in CHILDREN:
        for event, alias in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("UPDATE", "OLD")):
            name = f"{table}_frozen_{event.lower()}_{alias.lower()}"
            condition = status_sql.replace("r.", f"{alias}.")
            create.append(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"WHEN ({condition}) = 'approved' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name};")
    return create, drop


def _run(apps, schema_editor, *, forward: bool):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        create, drop = _postgresql()
    elif vendor == "sqlite":
        create, drop = _sqlite()
    else:  # pragma: no cover - the product supports PostgreSQL and the embedded SQLite only
        raise RuntimeError(f"no plan-version guard for {vendor}")
    for statement in create if forward else drop:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(apps, schema_editor, forward=True)


def backwards(apps, schema_editor):
    _run(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
