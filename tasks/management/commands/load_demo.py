"""python manage.py load_demo — the unit directory, the five sample plans, demo accounts and activity.

Safe to run again: the directory load adds only what is missing, a sample
file already imported is recognised by its hash, accounts are reused.
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from departments.services import DEMO_PASSWORD, ensure_demo_accounts, load_unit_directory
from importers.errors import PlanImportError
from importers.models import PlanImport
from importers.services import import_file

SAMPLE_PLANS = Path(settings.BASE_DIR) / "sample_data" / "plans"


class Command(BaseCommand):
    help = "载入单位名录、五份示例计划、演示账号和演示进展数据（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-activity", action="store_true", help="不生成演示进展、月报和审核数据")

    def handle(self, *args, no_activity: bool = False, **options):
        added = load_unit_directory()
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
            self._demo_activity()
        self.stdout.write(self.style.SUCCESS("演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for username, role, units in accounts:
            self.stdout.write(f"  {username:<8} {role}" + (f"（{'、'.join(units)}）" if units else ""))

    def _demo_activity(self):
        try:
            from tasks.generated_data import generate_demo_activity
        except ImportError:
            return
        summary = generate_demo_activity()
        if summary:
            self.stdout.write(f"演示进展数据：{summary}")
