"""``python manage.py generate_data``: a generated data set at a chosen scale (see demo.generated_data)."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from demo.generated_data import CITY_SCALE, GeneratedDataExists, generate_data


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"月份格式应为 YYYY-MM，收到“{value}”。") from exc


class Command(BaseCommand):
    help = (
        "生成一套测试/基准数据：单位、人员、计划→章节→任务→措施、进展、月报（各种状态）、审核和变更记录。"
        "同一数据库只容纳一套生成数据：同样参数再运行不做改动，参数不同则拒绝。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--units", type=int, default=300, help="承担措施的单位数（不含单位统称），默认 300"
        )
        parser.add_argument("--measures", type=int, default=5000, help="措施数，默认 5000")
        parser.add_argument("--months", type=int, default=12, help="月报月份数，默认 12")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：同样参数生成同样数据")
        parser.add_argument(
            "--end-month",
            type=_month,
            default=None,
            help="最后一个月报月份 YYYY-MM（默认上个月）；指定后数据与运行日期无关",
        )
        parser.add_argument("--password", default=None, help="所有生成用户的密码（默认不可登录）")
        parser.add_argument(
            "--city",
            action="store_true",
            help="城市规模：市级计划和 16 个区级计划、1500 个单位、50000 项措施、12 个月（覆盖 --units/--measures/--months）",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["city"]:
            options.update(CITY_SCALE)
        try:
            summary = generate_data(
                units=options["units"],
                measures=options["measures"],
                months=options["months"],
                seed=options["seed"],
                end_month=options["end_month"],
                password=options["password"],
            )
        except (GeneratedDataExists, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary.describe())
        self.stdout.write(f"用时 {time.perf_counter() - started:.1f} 秒")
