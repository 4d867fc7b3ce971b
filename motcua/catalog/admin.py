from django.contrib import admin

from motcua.catalog.models import Fee, Field, Procedure, ProcedureCase, ProcedureVersion, RequiredDocument
from motcua.catalog.queries import search_index_invalidate
from motcua.core.audit import audit_event_record


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


class CaseInline(admin.TabularInline):
    model = ProcedureCase
    extra = 0


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Read-mostly: content changes arrive through a catalog import, which versions them."""

    list_display = ("national_code", "name", "field", "level", "online_level", "popularity", "active")
    list_filter = ("level", "online_level", "field", "active")
    search_fields = ("national_code", "name")
    list_select_related = ("field",)
    readonly_fields = (
        "national_code",
        "name",
        "field",
        "level",
        "online_level",
        "current_version",
        "search_text",
    )
    fields = (
        "national_code",
        "name",
        "field",
        "level",
        "online_level",
        "current_version",
        "popularity",
        "active",
    )

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search_index_invalidate()
        audit_event_record(
            action="catalog.procedure.updated",
            actor=request.user,
            obj=obj,
            data={"fields": sorted(form.changed_data), "via": "admin"},
        )


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = (
        "procedure",
        "number",
        "decision_number",
        "effective_from",
        "effective_to",
        "online_level",
    )
    search_fields = ("procedure__national_code", "name", "decision_number")
    list_select_related = ("procedure",)
    inlines = [CaseInline, DocumentInline, FeeInline]
    filter_horizontal = ("agencies",)
    readonly_fields = ("procedure", "number", "content_hash")
