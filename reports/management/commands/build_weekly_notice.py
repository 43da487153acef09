"""python manage.py build_weekly_notice [--week YYYY-Www] [--jurisdiction CODE]: build (or rebuild) a 周通报."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from departments.scopes import jurisdiction_by_code
from reports.outputs.notices import build_weekly_notice, parse_iso_week, previous_week_start


class Command(BaseCommand):
    help = "生成周通报（.docx），默认上一周；已有的会被替换。"

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO 周次，如 2026-W10；默认上一周")
        parser.add_argument("--jurisdiction", help="行政区划代码，如 110106；默认全部")

    def handle(self, *args, week=None, jurisdiction=None, **options):
        try:
            start = parse_iso_week(week) if week else previous_week_start(timezone.localdate())
            scope = jurisdiction_by_code(jurisdiction)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        notice = build_weekly_notice(week_start=start, scope=scope)
        self.stdout.write(
            f"{notice}: {notice.file.path if hasattr(notice.file, 'path') else notice.file.name}"
        )
