from django import template

from motcua.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ fee|vnd }} → 1.500.000 ₫"""
    if amount in (None, ""):
        return ""
    return format_vnd(int(amount))
