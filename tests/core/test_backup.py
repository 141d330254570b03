"""`manage.py backup` and `manage.py restore` round-trip every row and every uploaded file.

The demo data (approved plan versions and frozen monthly reports, guarded by triggers; stored
PDFs; history tables) is backed up, restored into a different, fresh database and a different
MEDIA_ROOT, and compared table by table (row count and a checksum of every row), sequence by
sequence, trigger by trigger and file by file; the restored triggers still refuse changes to the
frozen rows. A tampered backup and a non-empty target are refused before anything changes.

On PostgreSQL (DATABASE_URL, as in CI) the target is a new database on the same server; on the
embedded SQLite it is a new file."""

import hashlib
import json
import re
import shutil
import sqlite3
import tarfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kvsp.core.backup import Database, sha256_file

# --- the state of a database and of a media root, to compare -----------------------------------


def _pg_state(database: Database) -> dict:
    from psycopg import sql

    state = {"tables": {}, "sequences": {}}
    with database.pg_connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        for schema, table in cursor.fetchall():
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {} t"
                ).format(sql.Identifier(schema, table))
            )
            state["tables"][f"{schema}.{table}"] = tuple(cursor.fetchone())
        cursor.execute(
            "SELECT schemaname, sequencename FROM pg_sequences "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        for schema, name in cursor.fetchall():
            cursor.execute(
                sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(schema, name))
            )
            state["sequences"][f"{schema}.{name}"] = tuple(cursor.fetchone())
        cursor.execute(
            "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal ORDER BY 1, 2"
        )
        state["triggers"] = [(table, name, _definition(d)) for table, name, d in cursor.fetchall()]
        cursor.execute(
            "SELECT p.proname, md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' ORDER BY 1, 2"
        )
        state["functions"] = cursor.fetchall()
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1, 2"
        )
        state["constraints"] = [(table, name, _definition(d)) for table, name, d in cursor.fetchall()]
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
        state["indexes"] = [(name, _definition(d)) for name, d in cursor.fetchall()]
    return state


def _definition(text: str) -> str:
    """A trigger, constraint or index definition without casts and parentheses. PostgreSQL
    deparses `status IN ('a', 'b')` as `(ARRAY['a'::varchar, 'b'::varchar])::text[]`, which
    reads back as `ARRAY[('a'::varchar)::text, ...]`: the same condition, another text. Every
    name, column and literal stays in the comparison."""
    return re.sub(r"[()\s]", "", re.sub(r"::[a-z ]+(\[\])?", "", text))


def _sqlite_state(database: Database) -> dict:
    state = {"tables": {}}
    with database.sqlite_connection() as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND (name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR name = 'sqlite_sequence') ORDER BY name"
            )
        ]
        for name in names:
            # quote(): each value as an SQL literal, untouched by the converters Django registers.
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
            literal = " || ',' || ".join(f'quote("{column}")' for column in columns)
            rows = sorted(row[0] for row in conn.execute(f'SELECT {literal} FROM "{name}"'))  # noqa: S608
            state["tables"][name] = (len(rows), hashlib.md5("\n".join(rows).encode()).hexdigest())  # noqa: S324
        state["schema"] = sorted(
            conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_auto%'"
            )
        )
    return state


def _state(database: Database) -> dict:
    return _pg_state(database) if database.vendor == "postgresql" else _sqlite_state(database)


def _media(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


# --- a fresh, empty database to restore into ------------------------------------------------------


@pytest.fixture
def fresh_database(tmp_path):
    """Returns make(suffix) -> (URL for --database-url, Database): a new empty database, on the
    same PostgreSQL server as the test database (dropped afterwards), or a new SQLite file."""
    created = []

    def make(suffix: str):
        source = Database.from_settings()
        if source.vendor == "sqlite":
            path = tmp_path / f"{suffix}.sqlite3"
            return f"sqlite:///{path}", Database.from_url(f"sqlite:///{path}")
        name = f"{source.name}_{suffix}"
        with source.pg_connect() as conn:
            conn.autocommit = True
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append((source, name))
        auth = quote(source.user, safe="")
        if source.password:
            auth += ":" + quote(source.password, safe="")
        port = f":{source.port}" if source.port else ""
        url = f"postgres://{auth}@{source.host}{port}/{name}"
        return url, Database.from_url(url)

    yield make
    for source, name in created:
        with source.pg_connect() as conn:
            conn.autocommit = True
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(backup_dir, url, media_root, **options):
    call_command(
        "restore", str(backup_dir), database_url=url, media_root=str(media_root), verbosity=0, **options
    )


def _flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x01]))


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_row_and_file(
    settings, tmp_path, reference_data, fresh_database, capsys
):
    call_command("load_demo", verbosity=0)
    media_root = Path(settings.MEDIA_ROOT)
    upload = media_root / "documents" / "2026" / "procesverbal-shënim.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes("Procesverbali i mbledhjes, me ë dhe ç.\n".encode() + bytes(range(256)))
    source = Database.from_settings()
    before, files_before = _state(source), _media(media_root)
    assert sum(1 for name in files_before if name.endswith(".pdf")) >= 12  # the frozen reports' PDFs

    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == source.vendor
    assert manifest["migrations"]["plans"] >= "0002"  # the triggers' migration is in
    assert manifest["database"]["tables"]["plans_planversion"] > 0
    assert manifest["database"]["tables"]["plans_historicalplanversion"] > 0
    assert any(t.startswith("plans_planversion.") for t in manifest["database"]["triggers"])
    assert set(manifest["media"]["files"]) == set(files_before)
    assert manifest["media"]["files"][upload.relative_to(media_root).as_posix()]["sha256"] == sha256_file(
        upload
    )
    assert (tmp_path / "backup").stat().st_mode & 0o077 == 0  # personal data: the owner's only

    # Into a different, fresh database and a different MEDIA_ROOT.
    url, target = fresh_database("restored")
    restored_media = tmp_path / "restored-media"
    capsys.readouterr()
    call_command("restore", str(tmp_path / "backup"), database_url=url, media_root=str(restored_media))
    out = capsys.readouterr().out
    assert "Restored and checked" in out
    assert not source.password or source.password not in out

    restored = _state(target)
    assert restored["tables"].keys() == before["tables"].keys()
    for table, value in before["tables"].items():
        assert restored["tables"][table] == value, table  # row count and checksum of every row
    assert restored == before  # sequences, triggers, functions, constraints, indexes, schema too
    assert _media(restored_media) == files_before

    # The triggers came back after the data, and still guard the approved and frozen rows.
    _assert_frozen_rows_are_guarded(target)

    # A second restore into what is now a non-empty database is refused, and changes nothing.
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        _restore(tmp_path / "backup", url, tmp_path / "empty-media")
    assert not (tmp_path / "empty-media").exists()
    assert _state(target) == before

    # --force replaces what is there: rows changed since, files overwritten.
    with _raw(target) as conn:
        conn.execute("UPDATE django_content_type SET model = 'changed' WHERE id = 1")
        conn.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', '2026-01-01')")
        conn.commit()
    upload_copy = restored_media.joinpath(*upload.relative_to(media_root).parts)
    upload_copy.write_bytes(b"changed")
    _restore(tmp_path / "backup", url, restored_media, force=True)
    assert _state(target) == before
    assert _media(restored_media) == files_before


@contextmanager
def _raw(database: Database):
    if database.vendor == "postgresql":
        with database.pg_connect() as conn:
            yield conn
    else:
        with database.sqlite_connection() as conn:
            yield conn


def _assert_frozen_rows_are_guarded(database: Database) -> None:
    import psycopg

    statements = [
        "UPDATE plans_planversion SET status = 'draft' WHERE status = 'approved'",
        "UPDATE plans_activity SET id = id WHERE problem_id IN (SELECT p.id FROM "
        "plans_planproblem p JOIN plans_planversion v ON v.id = p.version_id WHERE v.status = 'approved')",
        "UPDATE monitoring_monthlyreport SET summary = 'changed' WHERE status = 'published'",
    ]
    if database.vendor == "postgresql":  # SQLite's triggers leave deletes alone (see the migrations)
        statements += [
            "DELETE FROM plans_planversion WHERE status = 'approved'",
            "DELETE FROM monitoring_monthlyreport WHERE status = 'published'",
        ]
    with _raw(database) as conn:
        for table, where in [
            ("plans_planversion", "status = 'approved'"),
            ("monitoring_monthlyreport", "status = 'published'"),
        ]:
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0] > 0  # noqa: S608
        conn.rollback()
        for statement in statements:
            with pytest.raises((psycopg.Error, sqlite3.Error), match="never change"):
                conn.execute(statement)
            conn.rollback()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_tampered_backup_before_changing_anything(settings, tmp_path, fresh_database):
    media_root = Path(settings.MEDIA_ROOT)
    get_user_model().objects.create_user(email="kryetari@bashkia.example", password="not-a-secret-1")
    (media_root / "documents").mkdir(parents=True)
    (media_root / "documents" / "vendim.pdf").write_bytes(b"%PDF-1.7\n" + b"vendim " * 500)
    good = tmp_path / "backup"
    call_command("backup", str(good), verbosity=0)
    url, target = fresh_database("tampered")
    target_media = tmp_path / "target-media"
    _restore(good, url, target_media)
    (target_media / "kept.txt").write_bytes(b"already here")
    state, files = _state(target), _media(target_media)

    def tampered(name: str) -> tuple[Path, dict]:
        copy = tmp_path / f"tampered-{name}"
        shutil.copytree(good, copy)
        return copy, json.loads((copy / "manifest.json").read_text())

    cases = []
    copy, manifest = tampered("dump")
    dump = copy / manifest["database"]["file"]
    _flip_byte(dump, dump.stat().st_size // 2)
    cases.append((copy, "does not match its sha256"))
    for name in ("media", "media-rehashed"):
        copy, manifest = tampered(name)
        archive = copy / "media.tar"
        with tarfile.open(archive) as tar:
            member = tar.getmember("documents/vendim.pdf")
        _flip_byte(archive, member.offset_data + member.size // 2)
        if name == "media-rehashed":  # the archive's own hash made to match: the file's still differs
            manifest["media"]["sha256"] = sha256_file(archive)
            (copy / "manifest.json").write_text(json.dumps(manifest))
        cases.append(
            (copy, "documents/vendim.pdf does not match" if name == "media-rehashed" else "media.tar")
        )
    copy, manifest = tampered("no-manifest")
    (copy / "manifest.json").unlink()
    cases.append((copy, "not a complete backup"))
    copy, manifest = tampered("other-vendor")
    other = {"postgresql": "sqlite", "sqlite": "postgresql"}[target.vendor]
    manifest["database"]["vendor"] = other
    (copy / "manifest.json").write_text(json.dumps(manifest))
    cases.append((copy, f"This is a {other} backup"))

    for backup_dir, expected in cases:
        with pytest.raises(CommandError, match=re.escape(expected)):
            _restore(backup_dir, url, target_media, force=True)
        assert _state(target) == state, backup_dir.name
        assert _media(target_media) == files, backup_dir.name


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "backup"), verbosity=0)
    assert (tmp_path / "backup" / "manifest.json").read_text() == "{}"
