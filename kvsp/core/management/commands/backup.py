"""``manage.py backup <dir>``: the database, every uploaded file and a manifest (kvsp.core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kvsp.core.backup import BackupError, Database, backup, require_local_media_storage


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump --format=custom; SQLite: its backup API), every "
        "file under MEDIA_ROOT (media.tar) and a manifest.json with row counts and sha256s into a "
        "new or empty directory. Restore it with `manage.py restore <dir>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A new (or empty) directory for this backup.")
        parser.add_argument(
            "--database-url",
            help="Back up this database instead of the settings' one (e.g. postgres://user@host/name). "
            "A password in it is visible to other users in the process list: prefer the settings.",
        )
        parser.add_argument("--media-root", type=Path, help="Instead of settings.MEDIA_ROOT.")

    def handle(self, *args, directory, database_url=None, media_root=None, **options):
        verbose = options["verbosity"] >= 1
        try:
            require_local_media_storage()
            database = Database.from_url(database_url) if database_url else Database.from_settings()
            manifest = backup(
                directory,
                database=database,
                media_root=media_root or Path(settings.MEDIA_ROOT),
                log=self.stdout.write if verbose else (lambda message: None),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbose:
            tables = manifest["database"]["tables"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written to {directory}: {len(tables)} tables, {sum(tables.values())} rows, "
                    f"{len(manifest['media']['files'])} files."
                )
            )
