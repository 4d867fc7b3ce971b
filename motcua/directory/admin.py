"""Django admin (in Vietnamese) for master data. Changes through the admin are audited too."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit_event_record
from motcua.directory.api_clients import api_client_issue, api_client_revoke
from motcua.directory.models import (
    AdministrativeUnit,
    Agency,
    ApiClient,
    CommunityTeam,
    Department,
    Role,
    StaffAssignment,
    User,
)


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        label = obj._meta.model_name
        audit_event_record(
            action=f"directory.{label}.{'updated' if change else 'created'}",
            actor=request.user,
            obj=obj,
            data={"fields": sorted(form.changed_data), "via": "admin"},
        )

    def delete_model(self, request, obj):
        audit_event_record(
            action=f"directory.{obj._meta.model_name}.deleted",
            actor=request.user,
            obj=obj,
            data={"via": "admin"},
        )
        super().delete_model(request, obj)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division_type", "province")
    list_filter = ("level", "division_type")
    search_fields = ("code", "name", "codename")
    list_select_related = ("province",)
    readonly_fields = ("level", "code", "name", "division_type", "codename", "province")

    def has_add_permission(self, request):
        return False  # units come from the import command


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "merged_into")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent", "merged_into", "commune")
    list_select_related = ("parent", "merged_into")
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "agency", "active")
    search_fields = ("name", "agency__name")
    list_select_related = ("agency",)


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    autocomplete_fields = ("agency",)
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "email", "phone", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "phone", "cccd", "tax_code")
    ordering = ("username",)
    inlines = [StaffAssignmentInline]
    autocomplete_fields = ("commune",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cá nhân"),
            {
                "fields": (
                    "full_name",
                    "kind",
                    "cccd",
                    "birth_date",
                    "tax_code",
                    "organisation_name",
                    "email",
                    "phone",
                    "commune",
                    "address",
                )
            },
        ),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "kind", "password1", "password2")}),
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening a person's record shows personal data (CCCD, phone, address): that view is audited."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            user = self.get_object(request, object_id)
            if user is not None:
                audit_event_record(
                    action="directory.user.viewed", actor=request.user, obj=user, data={"via": "admin"}
                )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_event_record(
            action=f"directory.user.{'updated' if change else 'created'}",
            actor=request.user,
            obj=obj,
            data={"fields": sorted(f for f in form.changed_data if "password" not in f), "via": "admin"},
        )


@admin.register(CommunityTeam)
class CommunityTeamAdmin(AuditedAdmin):
    list_display = ("name", "commune", "village")
    search_fields = ("name", "village", "commune__name")
    autocomplete_fields = ("commune", "members")


# --- API clients: a provincial administrator issues and revokes tokens ---------------------------------------


def _is_province_admin(user) -> bool:
    return bool(
        user.is_active
        and (
            user.is_superuser
            or StaffAssignment.objects.filter(user=user, role=Role.PROVINCE_ADMIN, active=True).exists()
        )
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Issuing shows the token once (in the success message); only its SHA-256 is kept. Revoking is final."""

    list_display = (
        "name",
        "agency",
        "token_prefix",
        "active",
        "created_at",
        "last_used_at",
        "created_by",
        "dossier_count",
    )
    list_filter = ("active",)
    search_fields = ("name", "token_prefix", "agency__name")
    list_select_related = ("agency", "created_by")
    autocomplete_fields = ("agency",)
    actions = ["revoke_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_dossiers=Count("dossier_links"))

    @admin.display(description=_("hồ sơ đã nộp"), ordering="_dossiers")
    def dossier_count(self, obj) -> int:
        return getattr(obj, "_dossiers", 0)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "agency")
        return (
            "name",
            "agency",
            "active",
            "token_prefix",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = ("token_prefix", "created_at", "created_by", "last_used_at", "revoked_at")
        return fixed if obj.active else ("active", *fixed)  # a revoked token never comes back

    def has_module_permission(self, request):
        return _is_province_admin(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _is_province_admin(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return _is_province_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return _is_province_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the dossiers a client submitted keep pointing at it

    def save_model(self, request, obj, form, change):
        if not change:
            client, token = api_client_issue(actor=request.user, name=obj.name, agency=obj.agency)
            for field in ApiClient._meta.concrete_fields:
                setattr(obj, field.attname, getattr(client, field.attname))
            obj._state = client._state
            messages.success(
                request,
                _gettext(
                    "Khóa truy cập của “%(name)s”: %(token)s — hãy sao chép và chuyển cho đơn vị sử dụng ngay bây "
                    "giờ. Khóa chỉ hiển thị một lần này; hệ thống chỉ lưu mã băm nên không thể xem lại. Ứng dụng "
                    "gửi khóa trong tiêu đề “Authorization: Bearer <khóa>”."
                )
                % {"name": client.name, "token": token},
            )
            return
        revoking = "active" in form.changed_data and not obj.active
        if revoking:
            obj.active = True  # the other fields are saved here; the revocation goes through the service
        others = sorted(f for f in form.changed_data if f != "active")
        if others:
            super().save_model(request, obj, form, change)
            audit_event_record(
                action="directory.api_client.updated",
                actor=request.user,
                obj=obj,
                data={"fields": others, "via": "admin"},
            )
        if revoking:
            api_client_revoke(actor=request.user, client=obj)
            messages.warning(
                request,
                _gettext("Đã thu hồi khóa truy cập của “%(name)s”; mọi lời gọi dùng khóa này sẽ bị từ chối.")
                % {"name": obj.name},
            )

    @admin.action(description=_("Thu hồi khóa truy cập của các ứng dụng đã chọn"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for client in queryset.filter(active=True):
            api_client_revoke(actor=request.user, client=client)
            revoked += 1
        messages.warning(request, _gettext("Đã thu hồi %(n)s khóa truy cập.") % {"n": revoked})


admin.site.site_header = _("Quản trị Một Cửa")
admin.site.site_title = _("Quản trị Một Cửa")
admin.site.index_title = _("Danh mục dùng chung")
