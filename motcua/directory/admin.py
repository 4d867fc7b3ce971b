"""Django admin (in Vietnamese) for master data. Changes through the admin are audited too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit_event_record
from motcua.directory.models import (
    AdministrativeUnit,
    Agency,
    CommunityTeam,
    Department,
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


admin.site.site_header = _("Quản trị Một Cửa")
admin.site.site_title = _("Quản trị Một Cửa")
admin.site.index_title = _("Danh mục dùng chung")
