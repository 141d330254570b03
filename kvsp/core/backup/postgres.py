"""PostgreSQL: the facts of a database (tables with their row counts, sequences, triggers, the last
migration per app), the dump (``pg_dump --format=custom`` from the snapshot the counts come from)
and the restore (``pg_restore --single-transaction``: all or nothing).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .database import BackupError, Database, last_migrations


def pg_tables(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "AND schemaname NOT LIKE 'pg\\_%' ORDER BY schemaname, tablename"
    )
    return list(cursor.fetchall())


def pg_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def pg_facts(connection) -> dict:
    from psycopg import sql

    with connection.cursor() as cursor:
        tables = {}
        for schema, table in pg_tables(cursor):
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
            tables[pg_key(schema, table)] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT schemaname, sequencename, last_value FROM pg_sequences "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        sequences = {pg_key(s, n): value for s, n, value in cursor.fetchall()}
        cursor.execute(
            "SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal ORDER BY 1, 2, 3"
        )
        triggers = sorted(f"{pg_key(s, table)}.{name}" for s, table, name in cursor.fetchall())
        migrations = {}
        if any(key == "django_migrations" for key in tables):
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
            migrations = last_migrations(cursor.fetchall())
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return {
        "tables": tables,
        "sequences": sequences,
        "triggers": triggers,
        "migrations": migrations,
        "server_version": server_version,
    }


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed; install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client) in the same major version as the server or newer."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit status {result.returncode}):\n{result.stderr.strip()}")


def dump_postgresql(database: Database, dump: Path) -> dict:
    import psycopg

    with database.pg_connect() as connection:
        # One snapshot for the dump and for the counts: export it from a repeatable-read
        # transaction that stays open while pg_dump runs.
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.transaction():
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env=database.pg_environment(),
                what="pg_dump",
            )
            return pg_facts(connection)


def restore_postgresql(database: Database, dump: Path) -> None:
    if database.alias is not None:
        from django.db import connections

        # Our own connection to it holds no locks when idle, but close it so that it does not
        # keep plans of tables that are about to be dropped and created again.
        if not connections[database.alias].in_atomic_block:
            connections[database.alias].close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # One transaction: a failure leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database.name}",
            str(dump),
        ],
        env=database.pg_environment(),
        what="pg_restore",
    )
