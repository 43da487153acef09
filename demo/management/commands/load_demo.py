"""python manage.py load_demo — the unit directory (sample_data/units/beijing.xlsx), the five sample plans, demo accounts and activity.

Safe to run again: the directory load adds only what is missing, a sample
file already imported is recognised by its hash, accounts are reused.
"""

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from departments.jurisdictions import load_jurisdictions
from departments.services import load_units
from importers.errors import PlanImportError
from importers.models import PlanImport
from importers.services import import_file

_LABELS = {
    "staff_created": "新建单位账号",
    "measures_updated": "更新措施",
    "progress_updates": "进展填报",
    "history": "变更记录",
    "reports": "月报",
    "report_items": "月报条目",
    "reviews": "审核",
}
# Months of demo reports and progress: enough for the trend to show completions month by month.
DEMO_MONTHS = 4
SAMPLE_PLANS = Path(settings.BASE_DIR) / "sample_data" / "plans"
# The Beijing unit directory, shipped as the example of what `load_units` reads.
SAMPLE_UNITS = Path(settings.BASE_DIR) / "sample_data" / "units" / "beijing.xlsx"


class Command(BaseCommand):
    help = "载入单位名录、五份示例计划、演示账号和演示进展数据（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-activity", action="store_true", help="不生成演示进展、月报和审核数据")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="演示数据以此日期为“今天”（YYYY-MM-DD，默认今天）",
        )

    def handle(self, *args, no_activity: bool = False, today: dt.date | None = None, **options):
        load_jurisdictions(province="11")  # the migration made them; a flushed test database has none
        added = load_units(data=SAMPLE_UNITS.read_bytes(), filename=SAMPLE_UNITS.name)
        self.stdout.write(f"单位名录：新增 {added['units']} 个单位，{added['aliases']} 个别称。")
        for path in sorted(SAMPLE_PLANS.glob("*.txt")):
            try:
                result = import_file(data=path.read_bytes(), filename=path.name)
            except PlanImportError as exc:
                self.stderr.write(f"{path.name}：{exc}")
                continue
            if result.state == PlanImport.State.UNCHANGED:
                self.stdout.write(f"{path.name}：已导入过，未改动。")
            else:
                counts = result.summary.get("counts", {})
                self.stdout.write(
                    f"{path.name}：《{result.plan.title}》{counts.get('tasks')} 项任务，{counts.get('measures')} 条措施。"
                )
        accounts = ensure_demo_accounts()
        if not no_activity:
            self._demo_activity(today or timezone.localdate())
        self.stdout.write(self.style.SUCCESS("演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for username, role, units in accounts:
            self.stdout.write(f"  {username:<8} {role}" + (f"（{'、'.join(units)}）" if units else ""))

    def _demo_activity(self, today: dt.date):
        from demo.demo_activity import generate_demo_activity, sample_plans
        from demo.demo_dates import place_demo_dates

        # The sample plans' deadlines move around today before anyone reports on them (demo only).
        # Only the bundled files' plans (by hash): a plan the office imported itself keeps its dates.
        bundled = [hashlib.sha256(path.read_bytes()).hexdigest() for path in SAMPLE_PLANS.glob("*.txt")]
        moved = place_demo_dates(plans=sample_plans().filter(source_sha256__in=bundled), today=today)
        if moved:
            self.stdout.write(f"演示日期：{moved} 份示例计划的完成时限已移至今天前后。")
        added = generate_demo_activity(months=DEMO_MONTHS, today=today)
        if any(added.values()):
            self.stdout.write(
                "演示进展数据：" + "，".join(f"{_LABELS.get(k, k)} {v}" for k, v in added.items())
            )
        else:
            self.stdout.write("演示进展数据：已存在，未改动。")
