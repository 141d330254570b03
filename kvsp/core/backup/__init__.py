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

The package: ``database`` (which database, and ``BackupError``), ``postgres`` and ``sqlite`` (facts,
dump and restore per vendor), ``media`` (the uploaded files), ``manifest`` (what a backup records,
``verify`` and ``check``) and ``runner`` (``backup`` and ``restore``, step by step).
"""

from .database import BackupError, Database
from .manifest import RestoreResult
from .media import require_local_media_storage, sha256_file
from .runner import backup, restore

__all__ = [
    "BackupError",
    "Database",
    "RestoreResult",
    "backup",
    "require_local_media_storage",
    "restore",
    "sha256_file",
]
