"""python manage.py load_jurisdictions [--province 13] — the GB/T 2260 divisions shipped in departments/data/gb2260.csv.

Safe to run again: rows are matched by code, so a second run changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from departments.jurisdictions import load_jurisdictions


class Command(BaseCommand):
    help = "载入行政区划（GB/T 2260：省、地级市、区县），可只载入一个省；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--province", help="省级区划代码的前两位，如 13（河北省）；不填则载入全国")

    def handle(self, *args, province=None, **options):
        if province is not None and (len(province) != 2 or not province.isdigit()):
            raise CommandError("--province 应为两位数字，如 13")
        try:
            result = load_jurisdictions(province=province)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"行政区划：新增 {result.created} 个，更新 {result.updated} 个，未变 {result.unchanged} 个。"
        )
