from django import template

from motcua.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ fee|vnd }} → 1.500.000 ₫"""
    if amount in (None, ""):
        return ""
    return format_vnd(int(amount))


@register.filter
def get_item(mapping, key):
    """`values|get_item:name`: a form value by a name held in a variable ('' when absent)."""
    if mapping is None:
        return ""
    getter = getattr(mapping, "get", None)
    return getter(key, "") if getter else ""
