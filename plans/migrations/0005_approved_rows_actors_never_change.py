"""The guard of migration 0002 for the tables of migration 0004: the institutions and actors a row
or an activity names are never added to, changed or removed from an approved version."""

from django.db import migrations

MESSAGE = "plans: an approved plan version never changes"

ROW = "SELECT v.status FROM plans_planversion v JOIN plans_planproblem p ON p.version_id = v.id "
CHILDREN = [
    ("plans_planproblem_institutions", ROW + "WHERE p.id = r.planproblem_id"),
    ("plans_planproblem_actors", ROW + "WHERE p.id = r.planproblem_id"),
    (
        "plans_activity_actors",
        ROW + "JOIN plans_activity a ON a.problem_id = p.id WHERE a.id = r.activity_id",
    ),
]


def _postgresql() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for table, status_sql in CHILDREN:
        function = f"{table}_guard"
        select = status_sql.replace("SELECT v.status", "SELECT v.status INTO st")
        create.append(
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            DECLARE r record; st text;
            BEGIN
              IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
              {select};
              IF st = 'approved' THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              IF TG_OP = 'UPDATE' THEN
                r := OLD;
                {select};
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
        drop += [
            f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};",
            f"DROP FUNCTION IF EXISTS {function}();",
        ]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    create, drop = [], []
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
    dependencies = [("plans", "0004_actors_and_row_responsibility")]

    operations = [migrations.RunPython(forwards, backwards)]
