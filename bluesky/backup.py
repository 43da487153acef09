"""Backup and restore: the database and the uploaded files (media) together, with checksums.

Evidence files and imported documents live outside the database (MEDIA_ROOT), so a database dump
alone loses them. A backup is one folder:

- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``, exact to the microsecond — Django's
  ``dumpdata`` cut timestamps to milliseconds) or ``database.sqlite3`` (SQLite's online backup API);
- ``media/``: every uploaded file, as stored;
- ``manifest.json``: when, which engine, the migration state, row counts per table, and the SHA-256
  of every file in the backup — ``restore`` refuses a backup whose files do not match it.

``restore`` writes into an EMPTY database and media folder only: it never overwrites live records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
        }
    )
    return {k: v for k, v in env.items() if v != ""}


def table_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(*, out_dir: Path, alias: str = "default", media_root: Path | None = None) -> dict:
    """Write a backup of the database and media into ``out_dir`` (which must not exist yet)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BackupError(f"备份目录 {out_dir} 已存在且非空，请指定一个新目录。")
    out_dir.mkdir(parents=True, exist_ok=True)
    db = connections[alias].settings_dict
    engine = connections[alias].vendor
    if engine == "postgresql":
        dump = out_dir / "database.pgdump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]],
            env=_pg_env(db),
            check=True,
            capture_output=True,
            timeout=3600,
        )
    elif engine == "sqlite":
        dump = out_dir / "database.sqlite3"
        connections[alias].ensure_connection()
        target = sqlite3.connect(dump)
        with target:
            connections[alias].connection.backup(target)
        target.close()
    else:
        raise BackupError(f"不支持的数据库类型：{engine}")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.copytree(media_root, out_dir / "media")
    else:
        (out_dir / "media").mkdir()
    files = {
        str(path.relative_to(out_dir)): _sha256(path)
        for path in sorted(out_dir.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "engine": engine,
        "database_file": dump.name,
        "tables": table_counts(alias),
        "files": files,
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def verify(backup_dir: Path) -> dict:
    """The manifest, after checking every file of the backup against its checksum."""
    backup_dir = Path(backup_dir)
    try:
        manifest = json.loads((backup_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"备份目录中没有可读的 {MANIFEST}：{exc}") from exc
    for name, checksum in manifest["files"].items():
        path = backup_dir / name
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少文件 {name}。")
        if _sha256(path) != checksum:
            raise BackupError(f"备份已损坏：文件 {name} 的校验和不符。")
    return manifest


def restore(*, backup_dir: Path, alias: str = "default", media_root: Path | None = None) -> dict:
    """Restore a verified backup into an empty database and an empty media folder."""
    backup_dir = Path(backup_dir)
    manifest = verify(backup_dir)
    connection = connections[alias]
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {connection.vendor}。")
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError("目标数据库不是空的：恢复只写入空数据库，请新建一个数据库后再恢复。")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"目标文件目录 {media_root} 不是空的：恢复只写入空目录。")
    dump = backup_dir / manifest["database_file"]
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", db["NAME"], str(dump)],
            env=_pg_env(db),
            check=True,
            capture_output=True,
            timeout=3600,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        with source:
            source.backup(connection.connection)
        source.close()
    shutil.copytree(backup_dir / "media", media_root, dirs_exist_ok=True)
    restored = table_counts(alias)
    if restored != manifest["tables"]:
        raise BackupError("恢复后的数据表行数与备份清单不符，请检查。")
    return manifest
