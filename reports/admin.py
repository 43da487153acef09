"""Admin for reports, the working-day overrides, reminders, notices and rankings."""

from django.contrib import admin

from departments.admin import InJurisdictionAdmin
from tasks.admin import KeptForTheRecord

from .models import (
    Delivery,
    MonthlyRanking,
    MonthlyReport,
    MonthlyReportItem,
    Notification,
    NotificationPreference,
    RankingRow,
    Reminder,
    ReportAttachment,
    ReportHistoryEntry,
    ReportReview,
    ScoreFormula,
    WeeklyNotice,
    WorkdayOverride,
)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    date_hierarchy = "date"


class ReportItemInline(admin.TabularInline):
    model = MonthlyReportItem
    extra = 0
    raw_id_fields = ["measure"]


class ReportReviewInline(admin.TabularInline):
    model = ReportReview
    extra = 0
    readonly_fields = ["reviewer", "decision", "comment", "created_at"]
    can_delete = False


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    readonly_fields = ["original_name", "extension", "size", "sha256", "uploaded_by", "created_on"]
    can_delete = False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(InJurisdictionAdmin, KeptForTheRecord, admin.ModelAdmin):
    read_only = True  # states change on the report and review pages (reports.services), with history
    list_display = ["unit", "period", "state", "due_date", "first_submitted_at", "return_count"]
    list_filter = ["state", "period", "unit__district"]
    search_fields = ["unit__name", "summary"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [ReportItemInline, ReportReviewInline, ReportAttachmentInline]


@admin.register(ReportReview)
class ReportReviewAdmin(KeptForTheRecord, admin.ModelAdmin):
    read_only = True
    list_display = ["report", "decision", "reviewer", "created_at"]
    list_filter = ["decision"]
    search_fields = ["report__unit__name", "comment"]
    list_select_related = ["report__unit", "reviewer"]


@admin.register(MonthlyReportItem)
class MonthlyReportItemAdmin(KeptForTheRecord, admin.ModelAdmin):
    read_only = True
    list_display = ["report", "measure", "status", "percent"]
    list_filter = ["status"]
    search_fields = ["report__unit__name", "measure__code", "note"]
    raw_id_fields = ["report", "measure"]
    list_select_related = ["report__unit", "measure"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "by_email", "in_app", "by_webhook"]
    search_fields = ["user__username"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    search_fields = ["user__username", "title"]
    list_select_related = ["user"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject", "due_date", "created_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "subject", "text"]
    list_select_related = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["recipient", "channel", "run_date", "state", "attempts", "last_error"]
    list_filter = ["state", "channel"]
    search_fields = ["recipient__username", "subject"]
    list_select_related = ["recipient"]


@admin.register(WeeklyNotice)
class WeeklyNoticeAdmin(admin.ModelAdmin):
    list_display = ["week_start", "generated_at"]
    date_hierarchy = "week_start"


@admin.register(ScoreFormula)
class ScoreFormulaAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_active",
        "base",
        "weight_on_time_reports",
        "weight_done_on_time",
        "penalty_per_overdue",
        "penalty_per_return",
        "lowest",
        "highest",
    ]
    list_filter = ["is_active"]
    search_fields = ["name"]


class RankingRowInline(admin.TabularInline):
    model = RankingRow
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(MonthlyRanking)
class MonthlyRankingAdmin(admin.ModelAdmin):
    list_display = ["period", "generated_at"]
    inlines = [RankingRowInline]


@admin.register(RankingRow)
class RankingRowAdmin(admin.ModelAdmin):
    list_display = ["ranking", "rank", "unit", "score", "rank_change"]
    list_filter = ["ranking"]
    search_fields = ["unit__name"]
    list_select_related = ["ranking", "unit"]


@admin.register(ReportHistoryEntry)
class ReportHistoryEntryAdmin(admin.ModelAdmin):
    """A report's history is evidence: readable by the office, never edited or deleted here."""

    list_display = ["created_at", "actor", "action", "report"]
    list_filter = ["action"]
    search_fields = ["comment", "actor__username"]
    raw_id_fields = ["report"]
    list_select_related = ["actor", "report__unit"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
