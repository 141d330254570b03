"""The two commands' work, step by step: ``backup`` (the database dumped, then the files archived,
then the manifest written last) and ``restore`` (verified, refused over existing data unless forced,
restored, then checked against the manifest).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .database import BackupError, Database
from .manifest import (
    DUMP_FILES,
    FORMAT,
    MANIFEST,
    MEDIA_ARCHIVE,
    RestoreResult,
    check,
    database_facts,
    read_manifest,
    verify,
)
from .media import archive_media, extract_media, media_files, sha256_file
from .postgres import dump_postgresql, restore_postgresql
from .sqlite import dump_sqlite, restore_sqlite


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
            facts = dump_postgresql(database, dump)
        else:
            facts = dump_sqlite(database, dump)
        log(f"  {len(facts['tables'])} tables, {sum(facts['tables'].values())} rows.")
        media_root = Path(media_root)
        log(f"Archiving the uploaded files under {media_root} ...")
        archive = directory / MEDIA_ARCHIVE
        files = archive_media(media_root, archive)
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
        restore_postgresql(database, dump)
    else:
        restore_sqlite(database, dump)

    log(f"Restoring {len(manifest['media']['files'])} uploaded files into {media_root} ...")
    extract_media(directory / manifest["media"]["file"], media_root)

    log("Checking the restored database and files against the manifest ...")
    return check(manifest, database=database, media_root=media_root)
