"""The manifest, written last into a backup: what it holds (the database's facts, the sha256 of the
dump, of the archive and of every file in it). ``verify`` checks a backup's files against it before
anything is restored; ``check`` compares a restored database and media root with it.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .database import BackupError, Database
from .media import CHUNK, media_files, safe_member_name, sha256_file
from .postgres import pg_facts
from .sqlite import sqlite_facts

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def database_facts(database: Database) -> dict:
    """Tables with their row counts, sequences, triggers and the last migration per app."""
    if database.vendor == "postgresql":
        with database.pg_connect() as connection:
            return pg_facts(connection)
    with database.sqlite_connection() as connection:
        return sqlite_facts(connection)


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
                if not member.isfile() or not safe_member_name(member.name):
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

        # Both paths in the graph: a backup recorded along the replaced migrations is known too.
        loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    except Exception as error:  # a note, never a failure
        return [f"could not load this code's migrations ({error})"]
    # A squashed migration stands for the last one it replaces (as the backup records them).
    squashed = {key: m.replaces[-1][1] for key, m in loader.disk_migrations.items() if m.replaces}
    recorded = {app: squashed.get((app, name), name) for app, name in recorded.items()}
    leaves = {}
    for app, name in loader.graph.leaf_nodes():
        if (app, name) not in squashed:
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
