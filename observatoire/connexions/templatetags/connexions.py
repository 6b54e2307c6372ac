from django import template

from observatoire.connexions.perms import reads_journal

register = template.Library()


@register.filter
def lit_le_journal(user):
    return reads_journal(user)
