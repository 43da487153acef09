"""Admin for plans and their tree; the office corrects imports and reassigns units here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from departments.admin import InJurisdictionAdmin

from . import services
from .models import (
    Assignment,
    Chapter,
    Evidence,
    HistoryEntry,
    Measure,
    MeasureLink,
    Milestone,
    Plan,
    ProgressUpdate,
    Task,
    plan_in_scope_q,
)


class KeptForTheRecord:
    """Records that are evidence of what units reported and the office decided: never deleted here.

    No one deletes them through the app, superusers included (a plan whose measures carry such records
    cannot be deleted either: the admin refuses to cascade into them); a wrong import is withdrawn
    instead. With ``read_only`` the office reads them in the admin and changes them through the pages,
    whose services record history. Every admin change is in the audit log (django-auditlog).
    """

    read_only = False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return not self.read_only and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self.read_only and super().has_add_permission(request)


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["number", "title"]


@admin.register(Plan)
class PlanAdmin(InJurisdictionAdmin, admin.ModelAdmin):
    list_display = ["title", "doc_number", "level", "district", "year_start", "year_end", "issue_date"]
    list_filter = ["level", "district", "year_start"]
    search_fields = ["title", "doc_number", "issuing_body"]
    readonly_fields = ["source_sha256", "created_at", "updated_at"]
    raw_id_fields = ["carries_out"]
    inlines = [ChapterInline]


@admin.register(MeasureLink)
class MeasureLinkAdmin(admin.ModelAdmin):
    """承接 links; the office confirms them on the plan's 承接关系 page (tasks/link_views.py)."""

    list_display = ["measure", "upper", "similarity", "state", "decided_by", "decided_at"]
    list_filter = ["state"]
    raw_id_fields = ["measure", "upper", "decided_by"]
    readonly_fields = ["similarity", "decided_by", "decided_at"]


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["number", "title", "plan"]


@admin.register(Chapter)
class ChapterAdmin(InJurisdictionAdmin, admin.ModelAdmin):
    def scoped(self, queryset, scope):
        return queryset.filter(plan_in_scope_q(scope, "plan__"))

    list_display = ["__str__", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["plan"]
    inlines = [TaskInline]


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    fields = ["sequence", "code", "text", "deadline_text", "due_date", "status"]
    show_change_link = True


@admin.register(Task)
class TaskAdmin(InJurisdictionAdmin, admin.ModelAdmin):
    def scoped(self, queryset, scope):
        return queryset.filter(plan_in_scope_q(scope, "plan__"))

    list_display = ["number", "title", "chapter", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["chapter", "plan"]
    inlines = [MeasureInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "role", "source", "confirmed", "written_as"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Measure)
class MeasureAdmin(InJurisdictionAdmin, KeptForTheRecord, admin.ModelAdmin):
    list_display = [
        "code",
        "short_text",
        "plan_title",
        "deadline_text",
        "due_date",
        "deadline_kind",
        "status",
        "needs_review",
    ]
    list_filter = ["task__plan", "status", "deadline_kind", "needs_review", "deadline_guessed"]
    search_fields = ["text", "code", "task__title", "assignments__unit__name"]
    list_select_related = ["task__plan"]
    inlines = [AssignmentInline, MilestoneInline]
    date_hierarchy = "due_date"

    @admin.display(description=_("措施内容"))
    def short_text(self, obj):
        return obj.text[:40]

    @admin.display(description=_("行动计划"), ordering="task__plan__title")
    def plan_title(self, obj):
        return obj.task.plan.title


@admin.register(Assignment)
class AssignmentAdmin(InJurisdictionAdmin, admin.ModelAdmin):
    def scoped(self, queryset, scope):
        return queryset.filter(plan_in_scope_q(scope, "measure__task__plan__"))

    list_display = ["measure", "unit", "role", "source", "confirmed"]
    list_filter = ["role", "source", "confirmed", "measure__task__plan"]
    search_fields = ["unit__name", "measure__text", "written_as"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["measure"]
    list_select_related = ["measure", "unit"]

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            old = Assignment.objects.select_related("unit").get(pk=obj.pk)
            before = f"{old.unit.name}（{old.get_role_display()}）"
        super().save_model(request, obj, form, change)
        services.record_assignment_edit(assignment=obj, user=request.user, before=before)

    def delete_model(self, request, obj):
        services.record_assignment_edit(
            assignment=obj,
            user=request.user,
            before=f"{obj.unit.name}（{obj.get_role_display()}）",
            deleted=True,
        )
        super().delete_model(request, obj)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["date", "text", "measure"]
    list_filter = ["measure__task__plan"]
    search_fields = ["text", "measure__text"]
    raw_id_fields = ["measure"]
    list_select_related = ["measure"]
    date_hierarchy = "date"


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "extension", "size", "sha256", "created_on"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(InJurisdictionAdmin, KeptForTheRecord, admin.ModelAdmin):
    def scoped(self, queryset, scope):
        return queryset.filter(plan_in_scope_q(scope, "measure__task__plan__"))

    read_only = True
    list_display = ["measure", "unit", "author", "status", "percent", "created_at"]
    list_filter = ["status", "unit__district"]
    search_fields = ["measure__code", "measure__text", "unit__name", "note"]
    raw_id_fields = ["measure"]
    list_select_related = ["measure", "unit", "author"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(KeptForTheRecord, admin.ModelAdmin):
    read_only = True
    list_display = ["original_name", "extension", "size", "progress", "created_on"]
    search_fields = ["original_name"]
    raw_id_fields = ["progress"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    """History is evidence: readable by the office, never edited or deleted here."""

    list_display = ["created_at", "actor", "action", "measure", "plan"]
    list_filter = ["action"]
    search_fields = ["comment", "actor__username"]
    raw_id_fields = ["measure", "plan"]
    list_select_related = ["actor", "measure", "plan"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
