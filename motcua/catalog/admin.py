from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
)
from motcua.catalog.processes import process_template_copy, process_template_in_use
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


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = (
        "order", "name", "role", "agency_ref", "agency", "department", "budget_hours", "approves_result",
        "returns_result",
    )  # fmt: skip
    autocomplete_fields = ("agency",)

    def _locked(self, obj) -> bool:
        return obj is not None and process_template_in_use(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    """Quy trình giải quyết per procedure case. A version that dossiers started with cannot change (they keep
    it): copy it into a new version with the action, edit the copy; the newest active version is used."""

    list_display = ("name", "case", "number", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "case__name", "case__version__procedure__national_code")
    list_select_related = ("case",)
    raw_id_fields = ("case",)
    inlines = [ProcessStepInline]
    actions = ["copy_to_new_version"]

    def get_readonly_fields(self, request, obj=None):
        return ("case", "number", "name") if obj is not None and process_template_in_use(obj) else ("number",)

    @admin.action(description=_("Sao chép thành phiên bản mới để sửa"))
    def copy_to_new_version(self, request, queryset):
        for template in queryset:
            new = process_template_copy(template=template, actor=request.user)
            self.message_user(request, _("Đã tạo %(name)s.") % {"name": new})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = (obj.case.process_templates.aggregate(n=Max("number"))["n"] or 0) + 1
        super().save_model(request, obj, form, change)
        audit_event_record(
            action="catalog.process_template.updated" if change else "catalog.process_template.created",
            actor=request.user,
            obj=obj,
            data={"fields": sorted(form.changed_data), "via": "admin"},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_event_record(
                action="catalog.process_template.steps_changed",
                actor=request.user,
                obj=form.instance,
                data={"via": "admin"},
            )
