# ruff: noqa: S603, S608 -- runs this project's manage.py; table names come from the catalogue
"""Migrate two new databases, one through the squashed migrations (the path a new installation
takes) and one through the migrations they replace (the path an old installation took), and
compare what they hold: every table's columns, constraints, indexes, triggers and trigger
functions, and the rows the migrations load (reference data), timestamps aside.

    .venv/bin/python scripts/compare-migration-paths.py                       # two SQLite files
    .venv/bin/python scripts/compare-migration-paths.py \\
        --old postgres://postgres@127.0.0.1:5432/kvsp_old --new postgres://postgres@127.0.0.1:5432/kvsp_new

The PostgreSQL databases must exist and be empty. Prints the differences; exits 1 if there are any.
Run it after changing a squashed migration, and before deleting the migrations it replaces.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DATA = {"django_migrations", "django_content_type", "auth_permission"}
TIMESTAMPS = {"created_at", "updated_at"}

MIGRATE_OLD_PATH = """
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
executor = MigrationExecutor(connection)
loader = executor.loader = MigrationLoader(connection, replace_migrations=False)
# Without replacement the graph holds both paths: aim at the leaves that are not squashed migrations.
executor.migrate([key for key in loader.graph.leaf_nodes() if not loader.graph.nodes[key].replaces])
"""


def migrate(url: str, *, squashed: bool) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    command = (
        [sys.executable, "manage.py", "migrate", "-v0"]
        if squashed
        else [sys.executable, "-c", MIGRATE_OLD_PATH]
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "kvsp.settings.dev")
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def _rows_digest(rows) -> tuple[int, str]:
    return len(rows), hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()[:16]


def describe_sqlite(path: str) -> dict:
    import sqlite3

    db = sqlite3.connect(path)
    found = {}
    for name, kind, sql in db.execute(
        "SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        if kind == "table":
            columns = sorted(row[1:] for row in db.execute(f'PRAGMA table_info("{name}")'))
            keys = sorted(row[2:] for row in db.execute(f'PRAGMA foreign_key_list("{name}")'))
            found[("table", name)] = (columns, keys)
            if name not in SKIP_DATA:
                names = [row[1] for row in db.execute(f'PRAGMA table_info("{name}")')]
                rows = [
                    tuple(sorted((k, v) for k, v in zip(names, row, strict=True) if k not in TIMESTAMPS))
                    for row in db.execute(f'SELECT * FROM "{name}"')
                ]
                found[("data", name)] = _rows_digest(rows)
        elif kind == "index":
            table = db.execute("SELECT tbl_name FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
            columns = [row[2] for row in db.execute(f'PRAGMA index_info("{name}")')]
            unique = [row[2] for row in db.execute(f'PRAGMA index_list("{table}")') if row[1] == name]
            found[("index", name)] = (table, columns, unique, (sql or "").split(" WHERE ")[1:])
        else:
            found[(kind, name)] = " ".join((sql or "").split())
    return found


PG_CATALOGUE = {
    "column": "SELECT table_name || '.' || column_name, data_type, is_nullable, column_default, "
    "character_maximum_length FROM information_schema.columns WHERE table_schema = 'public'",
    "constraint": "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace",
    "index": "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "trigger": "SELECT tgname || ' on ' || tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
    "WHERE NOT tgisinternal",
    "function": "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
}


def describe_postgres(url: str) -> dict:
    import psycopg

    found = {}
    with psycopg.connect(url) as db:
        for kind, query in PG_CATALOGUE.items():
            for row in db.execute(query):
                found[(kind, row[0])] = row[1:]
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        ).fetchall()
        for (table,) in tables:
            if table in SKIP_DATA:
                continue
            names = sorted(
                row[0]
                for row in db.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND table_name = %s",
                    (table,),
                )
                if row[0] not in TIMESTAMPS
            )
            columns = ", ".join(f'"{name}"' for name in names)
            found[("data", table)] = _rows_digest(db.execute(f'SELECT {columns} FROM "{table}"').fetchall())
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--old", help="an empty database for the replaced migrations (default: a SQLite file)"
    )
    parser.add_argument(
        "--new", help="an empty database for the squashed migrations (default: a SQLite file)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        old = args.old or f"sqlite:///{folder}/old.sqlite3"
        new = args.new or f"sqlite:///{folder}/new.sqlite3"
        migrate(old, squashed=False)
        migrate(new, squashed=True)
        describe = describe_postgres if old.startswith("postgres") else describe_sqlite
        a = describe(old if old.startswith("postgres") else old.removeprefix("sqlite:///"))
        b = describe(new if new.startswith("postgres") else new.removeprefix("sqlite:///"))
    differences = [
        key for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key) and key[1] != "django_migrations"
    ]
    for key in differences:
        print(f"{key[0]} {key[1]}:\n  replaced: {a.get(key)}\n  squashed: {b.get(key)}")
    print(f"{len(a)} objects compared: {len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
