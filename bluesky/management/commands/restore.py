"""python manage.py restore DIR: a verified backup into an empty database and media folder (bluesky/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bluesky.backup import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到空数据库和空文件目录（先核对校验和）。"

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", type=Path)

    def handle(self, *args, backup_dir, **options):
        try:
            manifest = restore(backup_dir=backup_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"恢复完成：{len(manifest['tables'])} 张表，{len(manifest['files'])} 个文件已核对。"
        )
