from django import template

from ..formats import format_change, format_evolution, format_valeur

register = template.Library()


@register.filter
def valeur(value, unite=None):
    """``{{ v|valeur:indicateur.unite }}``: the unit only changes how a year is written."""
    return format_valeur(value, unite)


@register.filter
def evolution(percent):
    return format_evolution(percent)


@register.filter
def ecart(carte):
    """A key figure's change since the previous millésime: points for a rate, % otherwise."""
    return format_change(carte["indicateur"], carte["valeur"], carte["precedent"])
