"""python manage.py load_units FILE — a unit directory table (.xlsx/.csv; columns in departments/unit_files.py).

All or nothing, safe to run again. Run load_jurisdictions first so the 所属行政区划 column resolves.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.services import load_units
from departments.unit_files import UnitFileError


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 单位名录载入单位、别名、曾用名和统称成员（有错则全部不载入；可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="单位名录文件（.xlsx 或 .csv）")
        parser.add_argument("--check", action="store_true", help="只检查并统计，不写入")

    def handle(self, *args, file: str, check: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            counts = load_units(data=path.read_bytes(), filename=path.name, dry_run=check)
        except UnitFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name} 有 {len(exc.errors)} 处错误，未载入任何内容。") from exc
        verb = "检查通过，将" if check else "已"
        self.stdout.write(
            f"{path.name}：{counts['rows']} 行，{verb}新增 {counts['units']} 个单位、{counts['aliases']} 个别称、"
            f"{counts['members']} 个统称成员，关联行政区划 {counts['linked']} 个。"
        )
