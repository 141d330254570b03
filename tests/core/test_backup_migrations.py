"""A backup names the last migration per app; with squashed migrations (one per app for a new
database, the replaced ones kept for databases on the way) it reads the same whichever path the
database took, and the restore's notes compare it with this code's migrations correctly."""

from django.db.migrations.loader import MigrationLoader

from kvsp.core.backup.database import last_migrations
from kvsp.core.backup.manifest import _migration_notes

SQUASHED = "0001_squashed_0009_row_category"


def test_the_last_migration_is_the_last_one_replaced_not_the_squashed_name():
    rows = [("plans", "0001_initial"), ("plans", "0009_row_category"), ("plans", SQUASHED), ("x", "0001_a")]
    assert last_migrations(rows) == {"plans": "0009_row_category", "x": "0001_a"}
    # An app known only by its squashed migration (once the replaced ones are deleted) keeps it.
    assert last_migrations([("plans", SQUASHED)]) == {"plans": SQUASHED}


def _recorded_today(*, squashed: bool) -> dict[str, str]:
    """What a database migrated by this code records as its last migration per app."""
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    for app, name in loader.graph.leaf_nodes():
        if loader.disk_migrations[(app, name)].replaces:
            new[app] = name
        else:
            old[app] = max(old.get(app, ""), name)
    return old | new if squashed else old


def test_a_backup_along_either_path_is_up_to_date_with_this_code():
    assert _recorded_today(squashed=True)["plans"] == SQUASHED
    assert _migration_notes(_recorded_today(squashed=False)) == []
    assert _migration_notes(_recorded_today(squashed=True)) == []


def test_a_backup_behind_or_ahead_of_this_code_says_so():
    behind = _recorded_today(squashed=False) | {"plans": "0005_approved_rows_actors_never_change"}
    assert _migration_notes(behind) == [
        "this code has newer migrations than the backup: run `manage.py migrate` next"
    ]
    ahead = _recorded_today(squashed=False) | {"plans": "0099_from_the_future"}
    assert "the backup has migrations this code does not know (apps: plans)" in _migration_notes(ahead)[0]
