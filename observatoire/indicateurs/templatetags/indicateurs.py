from django import template

from ..formats import format_evolution, format_valeur

register = template.Library()


@register.filter
def valeur(value):
    return format_valeur(value)


@register.filter
def evolution(percent):
    return format_evolution(percent)
