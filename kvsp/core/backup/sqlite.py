"""SQLite: the facts of a database (tables with their row counts, sequences, triggers, the last
migration per app), the dump (a copy through SQLite's online backup API) and the restore (the same
API, replacing the whole database in one step).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .database import Database, last_migrations


def sqlite_facts(connection: sqlite3.Connection) -> dict:
    tables = {}
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name"
        )
    ]
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        tables[name] = connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]  # noqa: S608
    has_sequence = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
    ).fetchone()[0]
    sequences = {}
    if has_sequence:
        sequences = dict(connection.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"))
    rows = connection.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
    triggers = sorted(f"{table}.{name}" for name, table in rows)
    migrations = {}
    if "django_migrations" in tables:
        migrations = last_migrations(
            connection.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
        )
    return {
        "tables": tables,
        "sequences": sequences,
        "triggers": triggers,
        "migrations": migrations,
        "server_version": sqlite3.sqlite_version,
    }


def dump_sqlite(database: Database, dump: Path) -> dict:
    target = sqlite3.connect(dump)
    try:
        with database.sqlite_connection() as source:
            source.backup(target)
        # The copy is one consistent state of the database; count what is in it.
        return sqlite_facts(target)
    finally:
        target.close()


def restore_sqlite(database: Database, dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        with database.sqlite_connection() as target:
            # The online backup API replaces the whole target database in one step.
            source.backup(target)
    finally:
        source.close()
