"""Backup and restore of everything KVSP keeps: the database and the uploaded files.

A backup is a directory with three files:

- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite: a
  copy made with SQLite's online backup API);
- ``media.tar``: every file under MEDIA_ROOT (uncompressed: the uploads are PDFs and scans);
- ``manifest.json``: when it was made, the database vendor, the last migration per app, the row
  count of every table, the sequences and triggers, and the sha256 of the dump, of the archive
  and of every file in it. It is written last: a directory without it is not a backup.

On PostgreSQL the row counts come from the very snapshot pg_dump dumps (``pg_export_snapshot``
and ``pg_dump --snapshot``), so they match the dump even while the site is in use. The database
is dumped before the files are archived: a file uploaded in between is in the archive without a
row that points to it, never the other way round.

Restoring checks every sha256 before it touches anything, refuses a database or MEDIA_ROOT that
already holds something unless forced, restores (``pg_restore --clean --if-exists --no-owner
--single-transaction``: all or nothing; the triggers that freeze approved plan versions and
reports are created after the data, as pg_dump orders them), then compares the row counts,
sequences, triggers and file hashes with the manifest.

Passwords never reach a command line or the output: pg_dump and pg_restore get the connection
through the PG* environment variables, and a database is described by its name and host only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, and what to do."""


def require_local_media_storage() -> None:
    """The files are archived from (and restored to) MEDIA_ROOT, so the default storage must be
    the local file system; with a bucket (KVSP_S3_BUCKET) they are not under MEDIA_ROOT at all."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(
            f"The uploaded files are not on this machine's file system (the default storage is "
            f"{type(storage).__module__}.{type(storage).__qualname__}), so they are not under MEDIA_ROOT "
            "and this command cannot back them up or restore them. Back up the bucket with the storage "
            "provider's own tools (versioning, replication, or e.g. `rclone sync` / `aws s3 sync`), at "
            "the same time as the database (`pg_dump`)."
        )


# --- which database -------------------------------------------------------------------------------


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


# --- facts about a database: tables, counts, sequences, triggers, migrations --------------------


def _pg_tables(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "AND schemaname NOT LIKE 'pg\\_%' ORDER BY schemaname, tablename"
    )
    return list(cursor.fetchall())


def _pg_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def _pg_facts(connection) -> dict:
    from psycopg import sql

    with connection.cursor() as cursor:
        tables = {}
        for schema, table in _pg_tables(cursor):
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
            tables[_pg_key(schema, table)] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT schemaname, sequencename, last_value FROM pg_sequences "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        sequences = {_pg_key(s, n): value for s, n, value in cursor.fetchall()}
        cursor.execute(
            "SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal ORDER BY 1, 2, 3"
        )
        triggers = sorted(f"{_pg_key(s, table)}.{name}" for s, table, name in cursor.fetchall())
        migrations = {}
        if any(key == "django_migrations" for key in tables):
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
            for app, name in cursor.fetchall():
                migrations[app] = name
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return {
        "tables": tables,
        "sequences": sequences,
        "triggers": triggers,
        "migrations": migrations,
        "server_version": server_version,
    }


def _sqlite_facts(connection: sqlite3.Connection) -> dict:
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
        for app, name in connection.execute("SELECT app, name FROM django_migrations ORDER BY applied, id"):
            migrations[app] = name
    return {
        "tables": tables,
        "sequences": sequences,
        "triggers": triggers,
        "migrations": migrations,
        "server_version": sqlite3.sqlite_version,
    }


def database_facts(database: Database) -> dict:
    """Tables with their row counts, sequences, triggers and the last migration per app."""
    if database.vendor == "postgresql":
        with database.pg_connect() as connection:
            return _pg_facts(connection)
    with database.sqlite_connection() as connection:
        return _sqlite_facts(connection)


# --- files ----------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hands tarfile a file's bytes while hashing them: each file is read once."""

    def __init__(self, f):
        self._f = f
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self._f.read(size)
        self.digest.update(data)
        return data


def media_files(media_root: Path) -> list[Path]:
    """Every regular file under MEDIA_ROOT, sorted (symbolic links are not followed)."""
    if not media_root.exists():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _archive_media(media_root: Path, archive: Path) -> dict[str, dict]:
    files = {}
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in media_files(media_root):
            name = path.relative_to(media_root).as_posix()
            info = tar.gettarinfo(str(path), arcname=name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(path, "rb") as f:
                reader = _HashingReader(f)
                tar.addfile(info, reader)
            files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
    return files


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


# --- backup ---------------------------------------------------------------------------------------


def backup(
    directory: Path,
    *,
    database: Database,
    media_root: Path,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Write a backup into ``directory`` (new or empty) and return its manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; give a new directory for each backup.")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)  # personal data: only the owner reads it
    old_umask = os.umask(0o077)
    try:
        dump = directory / DUMP_FILES[database.vendor]
        log(f"Dumping the {database.describe()} ...")
        if database.vendor == "postgresql":
            facts = _dump_postgresql(database, dump)
        else:
            facts = _dump_sqlite(database, dump)
        log(f"  {len(facts['tables'])} tables, {sum(facts['tables'].values())} rows.")
        media_root = Path(media_root)
        log(f"Archiving the uploaded files under {media_root} ...")
        archive = directory / MEDIA_ARCHIVE
        files = _archive_media(media_root, archive)
        log(f"  {len(files)} files, {sum(f['size'] for f in files.values())} bytes.")
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": database.vendor,
                "server_version": facts["server_version"],
                "file": dump.name,
                "sha256": sha256_file(dump),
                "size": dump.stat().st_size,
                "tables": facts["tables"],
                "sequences": facts["sequences"],
                "triggers": facts["triggers"],
            },
            "migrations": facts["migrations"],
            "media": {
                "file": archive.name,
                "sha256": sha256_file(archive),
                "size": archive.stat().st_size,
                "files": files,
            },
        }
        partial = directory / (MANIFEST + ".partial")
        partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(directory / MANIFEST)
    except BaseException:
        # No half backup left behind: the directory is empty again, ready for another try.
        for name in (*DUMP_FILES.values(), MEDIA_ARCHIVE, MANIFEST + ".partial"):
            (directory / name).unlink(missing_ok=True)
        raise
    finally:
        os.umask(old_umask)
    return manifest


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed; install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client) in the same major version as the server or newer."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit status {result.returncode}):\n{result.stderr.strip()}")


def _dump_postgresql(database: Database, dump: Path) -> dict:
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
            return _pg_facts(connection)


def _dump_sqlite(database: Database, dump: Path) -> dict:
    target = sqlite3.connect(dump)
    try:
        with database.sqlite_connection() as source:
            source.backup(target)
        # The copy is one consistent state of the database; count what is in it.
        return _sqlite_facts(target)
    finally:
        target.close()


# --- restore --------------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.exists():
        raise BackupError(f"{directory} has no {MANIFEST}: it is not a complete backup.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{path} is not valid JSON ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has format {manifest.get('format')!r}; this code reads format {FORMAT}.")
    return manifest


def verify(directory: Path, manifest: dict) -> list[str]:
    """Every problem with the backup's files (empty: they are exactly what the manifest says).
    Reads only; nothing is extracted."""
    directory = Path(directory)
    problems = []
    for part in ("database", "media"):
        name = manifest[part]["file"]
        if Path(name).name != name:
            problems.append(f"manifest names an unexpected {part} file {name!r}")
            continue
        path = directory / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif sha256_file(path) != manifest[part]["sha256"]:
            problems.append(f"{name} does not match its sha256 in the manifest")
    if problems:
        return problems
    expected = manifest["media"]["files"]
    seen = set()
    try:
        with tarfile.open(directory / manifest["media"]["file"], "r:") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_member_name(member.name):
                    problems.append(f"{MEDIA_ARCHIVE} holds an unexpected entry {member.name!r}")
                    continue
                seen.add(member.name)
                digest = hashlib.sha256()
                content = tar.extractfile(member)
                while chunk := content.read(CHUNK):
                    digest.update(chunk)
                if member.name not in expected:
                    problems.append(f"{member.name} is in {MEDIA_ARCHIVE} but not in the manifest")
                elif digest.hexdigest() != expected[member.name]["sha256"]:
                    problems.append(f"{member.name} does not match its sha256 in the manifest")
    except tarfile.TarError as error:
        problems.append(f"{MEDIA_ARCHIVE} cannot be read ({error})")
    for name in sorted(set(expected) - seen):
        problems.append(f"{name} is in the manifest but not in {MEDIA_ARCHIVE}")
    return problems


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def restore(
    directory: Path,
    *,
    database: Database,
    media_root: Path,
    force: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> RestoreResult:
    """Restore the backup in ``directory`` into ``database`` and ``media_root``.

    Raises BackupError, having changed nothing, when the backup does not match its manifest or
    the database or media root already holds something and ``force`` is not set."""
    directory = Path(directory)
    media_root = Path(media_root)
    manifest = read_manifest(directory)
    log(f"Backup of {manifest['created_at']} ({manifest['database']['vendor']}).")
    log("Verifying the sha256 of the dump and of every uploaded file ...")
    problems = verify(directory, manifest)
    if problems:
        raise BackupError(
            "The backup does not match its manifest; nothing was restored:\n  " + "\n  ".join(problems)
        )
    if manifest["database"]["vendor"] != database.vendor:
        raise BackupError(
            f"This is a {manifest['database']['vendor']} backup; it cannot be restored into a "
            f"{database.vendor} database."
        )

    current = database_facts(database)
    occupied = []
    if current["tables"]:
        rows = sum(current["tables"].values())
        occupied.append(
            f"the {database.describe()} is not empty ({len(current['tables'])} tables, {rows} rows)"
        )
    existing_files = media_files(media_root)
    if existing_files:
        occupied.append(f"{media_root} is not empty ({len(existing_files)} files)")
    if occupied and not force:
        raise BackupError(
            "Refusing to restore: "
            + "; ".join(occupied)
            + ". Restoring REPLACES the database's tables and overwrites files of the same name with "
            "the backup's. Run again with --force to do that; nothing was changed."
        )
    for reason in occupied:
        log(f"--force: {reason}; replacing it.")

    dump = directory / manifest["database"]["file"]
    log(f"Restoring the database into the {database.describe()} ...")
    if database.vendor == "postgresql":
        _restore_postgresql(database, dump)
    else:
        _restore_sqlite(database, dump)

    log(f"Restoring {len(manifest['media']['files'])} uploaded files into {media_root} ...")
    _extract_media(directory / manifest["media"]["file"], media_root)

    log("Checking the restored database and files against the manifest ...")
    return check(manifest, database=database, media_root=media_root)


def _restore_postgresql(database: Database, dump: Path) -> None:
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


def _restore_sqlite(database: Database, dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        with database.sqlite_connection() as target:
            # The online backup API replaces the whole target database in one step.
            source.backup(target)
    finally:
        source.close()


def _extract_media(archive: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            if not member.isfile() or not _safe_member_name(member.name):
                continue  # verify() has refused anything else
            target = media_root.joinpath(*PurePosixPath(member.name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            # Write beside the file and rename: a reader never sees half a file.
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
            try:
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                os.chmod(temporary, 0o644)
                os.utime(temporary, (member.mtime, member.mtime))
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise


def check(manifest: dict, *, database: Database, media_root: Path) -> RestoreResult:
    """Compare a database and media root with a backup's manifest."""
    result = RestoreResult()
    facts = database_facts(database)
    expected_tables = manifest["database"]["tables"]
    for table, count in sorted(expected_tables.items()):
        actual = facts["tables"].get(table)
        if actual is None:
            result.problems.append(f"table {table} is missing")
        elif actual != count:
            result.problems.append(f"table {table} has {actual} rows, the backup {count}")
    extra = sorted(set(facts["tables"]) - set(expected_tables))
    if extra:
        result.notes.append(f"tables not in the backup, left as they were: {', '.join(extra)}")
    for sequence, value in sorted(manifest["database"]["sequences"].items()):
        if facts["sequences"].get(sequence) != value:
            result.problems.append(
                f"sequence {sequence} is at {facts['sequences'].get(sequence)}, the backup at {value}"
            )
    missing_triggers = sorted(set(manifest["database"]["triggers"]) - set(facts["triggers"]))
    for trigger in missing_triggers:
        result.problems.append(f"trigger {trigger} is missing")
    result.tables = len(expected_tables)
    result.rows = sum(facts["tables"].get(t, 0) for t in expected_tables)

    media_root = Path(media_root)
    for name, expected in sorted(manifest["media"]["files"].items()):
        path = media_root.joinpath(*PurePosixPath(name).parts)
        if not path.is_file():
            result.problems.append(f"file {name} is missing")
        elif sha256_file(path) != expected["sha256"]:
            result.problems.append(f"file {name} does not match its sha256")
        else:
            result.files += 1
    others = [
        p.relative_to(media_root).as_posix()
        for p in media_files(media_root)
        if p.relative_to(media_root).as_posix() not in manifest["media"]["files"]
    ]
    if others:
        result.notes.append(f"{len(others)} files under {media_root} are not in the backup; left in place")

    result.notes.extend(_migration_notes(manifest["migrations"]))
    return result


def _migration_notes(recorded: dict[str, str]) -> list[str]:
    """How the backup's migration state compares with this code's migrations."""
    try:
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(None, ignore_no_migrations=True)
    except Exception as error:  # a note, never a failure
        return [f"could not load this code's migrations ({error})"]
    leaves = {}
    for app, name in loader.graph.leaf_nodes():
        leaves[app] = max(leaves.get(app, ""), name)
    notes = []
    behind = sorted(
        app
        for app, name in leaves.items()
        if app in recorded and recorded[app] != name and (app, recorded[app]) in loader.graph.nodes
    )
    unknown = sorted(
        app for app, name in recorded.items() if app in leaves and (app, name) not in loader.graph.nodes
    )
    new_apps = sorted(set(leaves) - set(recorded))
    if unknown:
        notes.append(
            "the backup has migrations this code does not know (apps: "
            + ", ".join(unknown)
            + "): deploy the code the backup was made with, or newer"
        )
    if behind or new_apps:
        notes.append("this code has newer migrations than the backup: run `manage.py migrate` next")
    return notes
