import pytest
from django.contrib.auth.models import Group

from observatoire.accounts.enums import Role
from observatoire.accounts.models import User
from observatoire.connexions.models import EvenementConnexion


@pytest.fixture
def events():
    """The journal's rows as (type, account, actor) tuples, oldest first."""

    def read(**filters):
        rows = EvenementConnexion.objects.filter(**filters).order_by("at", "pk")
        return [(e.type, e.email, e.actor_email) for e in rows]

    return read


@pytest.fixture
def superadmin(db):
    user = User.objects.create_superuser("chef@exemple.fr", "un-mot-de-passe-solide")
    user.groups.add(Group.objects.get(name=Role.SUPERADMIN))
    return user
