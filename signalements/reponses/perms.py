"""Who may read and manage response templates.

A communal administrator manages the templates of the communes in his scope; the metropolis's
templates (no commune) belong to an administrator of metropolitan scope (the super-administrator
today). Triage managers and service agents read the templates they may use; nobody else.
"""

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability

MANAGE = Capability.MANAGE_COMMUNE_CATEGORIES


def can_view(user):
    return (
        perms.has_capability(user, MANAGE)
        or perms.has_capability(user, Capability.TRIAGE_REPORTS)
        or (user.is_authenticated and user.services_techniques.exists())
    )


def can_manage_some(user):
    return perms.has_capability(user, MANAGE)


def can_manage_metropole(user):
    return perms.has_capability(user, MANAGE) and perms.has_metropolitan_scope(user)


def can_manage(user, commune):
    """May ``user`` create, edit or deactivate a template of ``commune`` (None: the metropolis's)?"""
    if commune is None:
        return can_manage_metropole(user)
    return perms.can(user, MANAGE, commune=commune)


def manageable_communes(user):
    if not perms.has_capability(user, MANAGE):
        return perms.communes_in_scope(None)
    return perms.communes_in_scope(user)
