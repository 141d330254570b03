"""Which database: its connection settings, from Django's settings or a URL (``Database``), and how
the backup reaches it (the PG* environment for pg_dump and pg_restore, a psycopg connection, an
SQLite connection). Also the error every step raises (``BackupError``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, and what to do."""


@dataclass
class Database:
    """The connection settings of one database, from Django's settings or a URL."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    options: dict = field(default_factory=dict, repr=False)
    alias: str | None = None  # a Django connection alias, when it came from the settings

    @classmethod
    def from_settings(cls, alias: str = "default") -> Database:
        from django.db import connections

        return cls._from_dict(connections[alias].settings_dict, alias=alias)

    @classmethod
    def from_url(cls, url: str) -> Database:
        import environ

        return cls._from_dict(environ.Env.db_url_config(url))

    @classmethod
    def _from_dict(cls, config: dict, alias: str | None = None) -> Database:
        engine = config.get("ENGINE", "")
        if "postgresql" in engine or "postgis" in engine:
            vendor = "postgresql"
        elif "sqlite3" in engine:
            vendor = "sqlite"
        else:
            raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine or 'this database'}.")
        return cls(
            vendor=vendor,
            name=str(config.get("NAME") or ""),
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
            options=dict(config.get("OPTIONS") or {}),
            alias=alias,
        )

    def describe(self) -> str:
        """Name and host; never the password."""
        if self.vendor == "sqlite":
            return f"SQLite database {self.name}"
        where = f"{self.host or 'local socket'}{':' + self.port if self.port else ''}"
        return f'PostgreSQL database "{self.name}" on {where}'

    # PostgreSQL ---------------------------------------------------------------------------------

    def pg_environment(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore: the connection in PG* variables, so that no
        password is ever on a command line (where `ps` shows it to every user)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        values = {
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.name,
            "PGSSLMODE": self.options.get("sslmode", ""),
            "PGSSLROOTCERT": self.options.get("sslrootcert", ""),
            "PGSSLCERT": self.options.get("sslcert", ""),
            "PGSSLKEY": self.options.get("sslkey", ""),
            "PGAPPNAME": "kvsp-backup",
        }
        env.update({k: str(v) for k, v in values.items() if v})
        return env

    def pg_connect(self, dbname: str | None = None):
        import psycopg

        params = {
            "dbname": dbname or self.name,
            "host": self.host or None,
            "port": self.port or None,
            "user": self.user or None,
            "password": self.password or None,
            "application_name": "kvsp-backup",
        }
        for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
            if self.options.get(key):
                params[key] = self.options[key]
        try:
            return psycopg.connect(**{k: v for k, v in params.items() if v is not None})
        except psycopg.OperationalError as error:  # libpq's messages carry no password
            raise BackupError(f"Cannot connect to the {self.describe()}: {error}") from None

    # SQLite -------------------------------------------------------------------------------------

    @contextmanager
    def sqlite_connection(self) -> Iterator[sqlite3.Connection]:
        """Django's own connection when the database came from the settings (it may be an
        in-memory test database), else a new one to the file."""
        if self.alias is not None:
            from django.db import connections

            connection = connections[self.alias]
            connection.ensure_connection()
            yield connection.connection
            return
        raw = sqlite3.connect(self.name)
        try:
            yield raw
        finally:
            raw.close()


def last_migrations(rows) -> dict[str, str]:
    """The last migration per app, from django_migrations' (app, name) rows in the order applied.
    A squashed migration is recorded after the migrations it replaces (both paths record these):
    the last of those names the state, so a backup reads the same whichever path its database took."""
    found: dict[str, str] = {}
    for app, name in rows:
        if app not in found or "_squashed_" not in name:
            found[app] = name
    return found
