"""python manage.py backup DIR: the database and uploaded files, with a checksummed manifest (bluesky/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bluesky.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个新目录（含校验清单）。"

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path)

    def handle(self, *args, out_dir, **options):
        try:
            manifest = backup(out_dir=out_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"备份完成：{out_dir}（{len(manifest['tables'])} 张表，{rows} 行，{len(manifest['files'])} 个文件）"
        )
