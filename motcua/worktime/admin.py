"""Django admin (in Vietnamese) for office hours and calendar overrides. Every change is audited."""

from django.contrib import admin

from motcua.core.audit import audit_event_record
from motcua.worktime.models import CalendarOverride, OfficePeriod
from motcua.worktime.services import calendar_cache_clear


class AuditedWorktimeAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        calendar_cache_clear()
        label = "override" if isinstance(obj, CalendarOverride) else "office_period"
        audit_event_record(
            action=f"worktime.{label}.{'updated' if change else 'created'}",
            actor=request.user,
            obj=obj,
            data={"fields": sorted(form.changed_data), "via": "admin"},
        )

    def delete_model(self, request, obj):
        label = "override" if isinstance(obj, CalendarOverride) else "office_period"
        audit_event_record(
            action=f"worktime.{label}.deleted", actor=request.user, obj=obj, data={"via": "admin"}
        )
        super().delete_model(request, obj)
        calendar_cache_clear()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OfficePeriod)
class OfficePeriodAdmin(AuditedWorktimeAdmin):
    list_display = ("province", "weekday", "start", "end")
    list_filter = ("weekday",)
    list_select_related = ("province",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedWorktimeAdmin):
    list_display = ("day", "kind", "reason", "province", "created_by", "created_at")
    list_filter = ("kind", "province")
    date_hierarchy = "day"
    search_fields = ("reason",)
    list_select_related = ("province", "created_by")
    readonly_fields = ("created_by", "created_at", "updated_at")
