"""Dossiers in the Django admin: read-only for support (states change only through the services), audited."""

from django.contrib import admin

from motcua.core.audit import audit_event_record
from motcua.dossiers.models import Dossier, DossierDocument, DossierPause


class DocumentInline(admin.TabularInline):
    model = DossierDocument
    extra = 0
    fields = ("kind", "name", "original_name", "content_type", "size", "uploaded_at", "replaced")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PauseInline(admin.TabularInline):
    model = DossierPause
    extra = 0
    fields = ("kind", "started_at", "ended_at", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("display_code", "status", "channel", "applicant_name", "agency", "submitted_at", "due_at")
    list_filter = ("status", "channel")
    search_fields = ("=code", "=reference", "=applicant_id_number")
    list_select_related = ("agency",)
    show_full_result_count = False
    date_hierarchy = "submitted_at"
    inlines = [DocumentInline, PauseInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Dossier._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dossier = self.get_object(request, object_id)
        if dossier is not None and self.has_view_permission(request, dossier):
            audit_event_record(
                action="dossiers.dossier.viewed", actor=request.user, obj=dossier, data={"channel": "admin"}
            )
        return super().change_view(request, object_id, form_url, extra_context)
