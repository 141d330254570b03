"""``manage.py restore <dir>``: put a backup made by ``manage.py backup`` back (kvsp.core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kvsp.core.backup import BackupError, Database, require_local_media_storage, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: verify every sha256 in its manifest first, then "
        "restore the database (pg_restore --clean --if-exists --no-owner, in one transaction; or "
        "SQLite's backup API) and the uploaded files, and check the row counts and file hashes. "
        "Refuses a database or MEDIA_ROOT that is not empty unless --force. Stop web, worker and "
        "beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A directory written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even though the database or MEDIA_ROOT is not empty: their tables are "
            "REPLACED by the backup's and files of the same name overwritten.",
        )
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the settings' one (e.g. "
            "postgres://user@host/name). A password in it is visible to other users in the process "
            "list: prefer the settings.",
        )
        parser.add_argument("--media-root", type=Path, help="Instead of settings.MEDIA_ROOT.")

    def handle(self, *args, directory, force=False, database_url=None, media_root=None, **options):
        verbose = options["verbosity"] >= 1
        try:
            require_local_media_storage()
            database = Database.from_url(database_url) if database_url else Database.from_settings()
            result = restore(
                directory,
                database=database,
                media_root=media_root or Path(settings.MEDIA_ROOT),
                force=force,
                log=self.stdout.write if verbose else (lambda message: None),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        for note in result.notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}."))
        if result.problems:
            raise CommandError(
                "The restored data does not match the backup's manifest:\n  " + "\n  ".join(result.problems)
            )
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored and checked: {result.tables} tables with {result.rows} rows (the same "
                    f"counts as the manifest), {result.files} files (the same sha256s), sequences and "
                    "triggers present."
                )
            )
