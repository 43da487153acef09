"""python manage.py build_ranking [--month YYYY-MM] [--out FILE.xlsx] [--jurisdiction CODE]: build (or rebuild)
a 月排名, over every unit or of one jurisdiction (its districts and bureaus, or its own units)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from departments.scopes import jurisdiction_by_code
from reports.outputs.ranking import build_ranking
from reports.workdays import first_of_month, previous_month


class Command(BaseCommand):
    help = "生成月排名及其 .xlsx，默认上个月；已有的会被替换。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份 YYYY-MM，默认上个月")
        parser.add_argument("--out", help="另存一份 .xlsx 到这个路径")
        parser.add_argument("--jurisdiction", help="行政区划代码，如 110106；默认全部单位")

    def handle(self, *args, month=None, out=None, jurisdiction=None, **options):
        try:
            scope = jurisdiction_by_code(jurisdiction)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            period = (
                dt.datetime.strptime(month, "%Y-%m").date()
                if month
                else previous_month(first_of_month(timezone.localdate()))
            )
        except ValueError:
            raise CommandError(f"月份格式应为 YYYY-MM：{month}") from None
        ranking = build_ranking(period=period, out=out, scope=scope)
        self.stdout.write(
            f"{ranking}: {ranking.rows.count()} 个单位，文件 {ranking.file.name}"
            + (f"，另存 {out}" if out else "")
        )
