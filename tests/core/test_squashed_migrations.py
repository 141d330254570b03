"""The squashed migrations (issue 25: a new database is made ~40 % faster) make what the migrations
they replace made: the same models, field by field, and the same work beyond the schema (reference
data, the database guards of approved records). The schema and data of both paths were compared
table by table, trigger by trigger, on SQLite and PostgreSQL (scripts/compare-migration-paths.py);
these checks keep the two paths together without migrating twice."""

from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader

# The guards of approved records are lifted and laid again around a table rebuild on SQLite; the
# squashed migrations make the tables in their final form, so only the laying remains.
LIFT_AND_LAY = {"lift_guards", "lay_guards"}


def _loader(*, squashed: bool) -> MigrationLoader:
    return MigrationLoader(None, ignore_no_migrations=True, replace_migrations=squashed)


def _fields(state) -> dict:
    models = {}
    for key, model in state.models.items():
        fields = {}
        for name, field in model.fields.items():
            path, args, kwargs = field.deconstruct()[1:]
            fields[name] = (path, args, kwargs)
        models[key] = (fields, model.options, [b if isinstance(b, str) else b.__name__ for b in model.bases])
    return models


def _squashed_migrations():
    loader = _loader(squashed=True)
    return [m for m in loader.disk_migrations.values() if m.replaces]


def test_a_new_database_takes_the_squashed_migrations():
    loader = _loader(squashed=True)
    squashed = _squashed_migrations()
    assert {m.app_label for m in squashed} >= {"councils", "meetings", "consultations", "plans", "monitoring"}
    for migration in squashed:
        assert (migration.app_label, migration.name) in loader.graph.nodes
        for replaced in migration.replaces:
            assert replaced not in loader.graph.nodes, f"{replaced} is still on a new database's path"


def test_the_squashed_migrations_make_the_same_models_as_the_ones_they_replace():
    squashed = _fields(_loader(squashed=True).project_state())
    # Without replacement the graph holds both paths: the state at the leaves of the old one.
    old = _loader(squashed=False)
    leaves = [key for key in old.graph.leaf_nodes() if not old.graph.nodes[key].replaces]
    assert len(leaves) >= 8
    replaced = _fields(old.project_state(leaves, at_end=True))
    assert squashed.keys() == replaced.keys()
    for key in squashed:
        assert squashed[key] == replaced[key], f"{key} differs between the squashed and the old migrations"


def test_each_squashed_migration_replaces_every_migration_before_it_and_runs_their_data_steps():
    loader = _loader(squashed=False)
    for migration in _squashed_migrations():
        app = migration.app_label
        names = sorted(
            name for label, name in loader.disk_migrations if label == app and name != migration.name
        )
        last = migration.replaces[-1][1]
        assert [name for _app, name in migration.replaces] == [n for n in names if n <= last]
        steps = [op.code for op in migration.operations if isinstance(op, RunPython)]
        for _app, name in migration.replaces:
            for operation in loader.disk_migrations[(app, name)].operations:
                if isinstance(operation, RunPython) and operation.code.__name__ not in LIFT_AND_LAY:
                    assert operation.code in steps, f"{app}.{name}: {operation.code.__name__} is not run"
