"""Permission checks: a capability (from the role groups) and a territorial scope.

Every view or service asks here; nothing else decides who may do what.
"""

from observatoire.territoires.models import Commune

from .enums import Capability
from .roles import METROPOLITAN_ROLES


def has_capability(user, capability):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm(f"accounts.{Capability(capability).value}")


def has_metropolitan_scope(user):
    """True when the user acts on every commune of the metropolis."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if user.communes.exists():
        return False
    names = set(user.groups.values_list("name", flat=True))
    return any(role.value in names for role in METROPOLITAN_ROLES)


def communes_in_scope(user):
    if has_metropolitan_scope(user):
        return Commune.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return Commune.objects.none()
    return user.communes.all()


def can(user, capability, commune):
    """May ``user`` exercise ``capability`` on ``commune``? (No commune concerned: ``has_capability``.)"""
    return has_capability(user, capability) and communes_in_scope(user).filter(pk=commune.pk).exists()
