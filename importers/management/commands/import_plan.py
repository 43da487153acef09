"""python manage.py import_plan FILE [--dry-run] [--json] [--district NAME] [--jurisdiction CODE]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.jurisdictions import JurisdictionIndex
from importers import services
from importers.errors import PlanImportError
from importers.models import PlanImport


class Command(BaseCommand):
    help = "导入行动计划文件（.docx / .doc / .wps / .xlsx / .xls / .et / .pdf / .txt）。--dry-run 只解析不写入，--json 输出解析结果。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出解析结果")
        parser.add_argument("--district", default="", help="计划所属区（文件中未写明时）")
        parser.add_argument(
            "--jurisdiction",
            default="",
            help="计划所属行政区划：区划代码或名称（不填则按发文机关和所属区推断）",
        )

    def handle(
        self, *args, file: Path, dry_run: bool, json: bool, district: str, jurisdiction: str, **options
    ):
        chosen = None
        if jurisdiction:
            chosen, reason = JurisdictionIndex().find(jurisdiction)
            if chosen is None:
                raise CommandError(reason)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from exc
        try:
            if dry_run or json:
                parsed = services.parse_to_json(data, file.name, district=district)
            if not dry_run:
                plan_import = services.import_file(
                    data=data, filename=file.name, district=district, jurisdiction=chosen
                )
        except PlanImportError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(parsed))
            if dry_run:
                return
        elif dry_run:
            counts = parsed["counts"]
            self.stdout.write(
                f"《{parsed['title']}》：{counts['chapters']} 章，{counts['tasks']} 项重点任务，"
                f"{counts['measures']} 条措施，{counts['units']} 个单位（未写入）"
            )
            for warning in parsed["warnings"]:
                self.stdout.write(f"  提示：{warning}")
            return
        if not json:
            if plan_import.state == PlanImport.State.UNCHANGED:
                self.stdout.write(plan_import.summary.get("message", "文件已导入过，未做改动。"))
            else:
                diff = plan_import.summary.get("diff", {})
                for change in plan_import.summary.get("field_changes", []):
                    self.stdout.write(f"  {change['label']}：{change['before'] or '—'} → {change['after']}")
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已导入《{plan_import.plan.title}》：新增 {len(diff.get('added', []))} 条，"
                        f"修改 {len(diff.get('changed', []))} 条，删除 {len(diff.get('removed', []))} 条措施。"
                    )
                )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
