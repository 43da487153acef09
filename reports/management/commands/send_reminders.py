"""python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]: the daily reminder run."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.notifications.reminders import run_reminders


class Command(BaseCommand):
    help = "发送到期提醒（与定时任务相同）：措施到期、逾期、月报截止、未报送名单。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天运行（YYYY-MM-DD），默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的新提醒，不写入、不发送")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            on = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        summary = run_reminders(on=on, dry_run=dry_run)
        if dry_run:
            for reminder in summary.new:
                self.stdout.write(
                    f"{reminder.recipient_id}\t{reminder.kind}\t{reminder.subject}\t{reminder.text}"
                )
            self.stdout.write(
                f"{on}: 应提醒 {summary.due} 条，其中新提醒 {len(summary.new)} 条（试运行，未发送）"
            )
            return
        self.stdout.write(
            f"{on}: 应提醒 {summary.due} 条，新记录 {summary.recorded} 条，生成汇总 {summary.digests} 份，"
            f"发送成功 {summary.sent}，失败 {summary.failed}"
        )
