from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AuditEvent, LoginFailure


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Administrators read the audit log; nobody edits or deletes it."""

    list_display = ("at", "action", "actor_label", "object_type", "object_repr", "ip")
    list_filter = ("actor_type", "object_type")
    search_fields = ("action", "actor_label", "object_id", "object_repr", "request_id")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.is_superuser or request.user.has_perm("core.view_auditevent"))
        )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip")
    search_fields = ("username", "ip")
    readonly_fields = ("at", "username", "ip")
    verbose_name = _("lần đăng nhập sai")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
