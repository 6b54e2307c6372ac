from django import template

from ..schema_views import data_dictionary

register = template.Library()


@register.simple_tag
def dictionnaire_des_donnees(jeu, publication):
    """The data dictionary of the published version, read from its Table Schema (see schema_views)."""
    return data_dictionary(jeu, publication)
