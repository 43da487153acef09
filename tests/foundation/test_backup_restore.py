"""A backup restores into an empty database and media folder with every table row and file identical."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from bluesky.backup import BackupError, backup, verify
from tasks.models import Evidence, ProgressUpdate
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user

ROOT = Path(__file__).resolve().parents[2]


def _rows(cursor, table, quote):
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")
    return [tuple(_plain(v) for v in row) for row in cursor.fetchall()]


def _plain(value):
    """Django's SQLite cursor converts booleans, a raw one gives 0/1: compare the stored value."""
    return str(int(value)) if isinstance(value, bool) else str(value)


def _target(tmp_path):
    """An empty database of the same kind as the test database, and the environment that points at it."""
    if connection.vendor == "postgresql":
        import psycopg2

        name = f"bluesky_restore_{os.getpid()}"
        db = connection.settings_dict
        admin = psycopg2.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"

        def open_target():
            import psycopg2.extras

            target = psycopg2.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=name)
            # JSON as the text PostgreSQL stores, as Django's own connection reads it (the audit log's columns)
            psycopg2.extras.register_default_jsonb(conn_or_curs=target, loads=lambda text: text)
            return target

        def drop():
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        return url, open_target, drop
    path = tmp_path / "restored.sqlite3"
    return f"sqlite:///{path}", lambda: sqlite3.connect(path), lambda: None


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_and_file_into_an_empty_database(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = UnitFactory()
    measure = MeasureFactory()
    AssignmentFactory(measure=measure, unit=unit)
    staff = make_user("staff-backup", "unit_staff", units=[unit])
    update = ProgressUpdate.objects.create(
        measure=measure, unit=unit, author=staff, status="in_progress", note="已完成围挡"
    )
    content = b"%PDF-1.4 evidence"
    Evidence.objects.create(
        progress=update,
        file=ContentFile(content, name="e.pdf"),
        original_name="现场照片.pdf",
        extension="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )

    out = tmp_path / "backup"
    manifest = backup(out_dir=out)
    assert manifest["tables"]["tasks_progressupdate"] == 1
    assert any(name.startswith("media/evidence/") for name in manifest["files"])

    url, open_target, drop = _target(tmp_path)
    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(restored_media)}
    try:
        run = subprocess.run(
            [sys.executable, "manage.py", "restore", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        target = open_target()
        quote = connection.ops.quote_name
        with connection.cursor() as source_cursor:
            tables = connection.introspection.table_names(source_cursor)
            target_cursor = target.cursor()
            for table in tables:
                assert _rows(target_cursor, table, quote) == _rows(source_cursor, table, quote), table
        target.close()
    finally:
        drop()
    original = {
        p.relative_to(settings.MEDIA_ROOT): p.read_bytes()
        for p in Path(settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    }
    copied = {p.relative_to(restored_media): p.read_bytes() for p in restored_media.rglob("*") if p.is_file()}
    assert copied == original and original


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.txt").write_bytes(b"one")
    out = tmp_path / "backup"
    backup(out_dir=out)
    (out / "media" / "a.txt").write_bytes(b"two")
    with pytest.raises(BackupError, match="校验和不符"):
        verify(out)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    from bluesky.backup import restore

    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "backup"
    backup(out_dir=out)
    with pytest.raises(BackupError, match="不是空的"):
        restore(backup_dir=out, media_root=tmp_path / "empty")
