from django import template

from observatoire.core.formats import format_number

register = template.Library()


@register.filter
def nombre(value):
    """1878061 → « 1 878 061 »."""
    if value in (None, ""):
        return ""
    return format_number(int(value))
