"""Categories and routing rules are configured here by the provincial administrator. Reports are handled in the
back office (/can-bo/phan-anh/), where every view of personal data is audited, not in the admin."""

from django.contrib import admin

from motcua.feedback.models import Category, RoutingRule


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 1
    autocomplete_fields = ["agency"]
    raw_id_fields = ["commune"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "answer_days", "anonymous_allowed", "active", "order"]
    list_filter = ["active", "group"]
    search_fields = ["name", "code"]
    inlines = [RoutingRuleInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "commune", "agency"]
    list_filter = ["category"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["commune"]
