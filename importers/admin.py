"""Import records in the admin: read, never deleted."""

from django.contrib import admin

from .models import PlanImport


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "state", "plan", "uploaded_by", "created_at", "applied_at"]
    list_filter = ["state"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = ["sha256", "parsed", "summary", "created_at", "applied_at"]
    list_select_related = ["plan", "uploaded_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # where a plan came from stays on record; a wrong import is withdrawn, not deleted
