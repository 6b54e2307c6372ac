"""« Mon compte » lists the spaces a person's capabilities open, and only those."""

import pytest
from django.utils.html import escape

from gouvernance.acces_views import CATALOGUE_READERS
from observatoire.accounts.enums import Role
from observatoire.accounts.roles import ROLE_CAPABILITIES
from observatoire.accounts.spaces import SPACES, spaces_of
from tests.factories import UserFactory


def test_the_catalogue_space_opens_to_the_readers_the_catalogue_lets_in():
    catalogue = next(space for space in SPACES if space.url_name == "acces:catalogue")
    assert set(catalogue.capabilities) == set(CATALOGUE_READERS)


@pytest.mark.parametrize("role", [role for role in Role if role != Role.SUPERADMIN])
def test_every_listed_space_opens_and_none_is_listed_that_would_refuse(client, marseille, role):
    communal = role in (Role.AGENT_COMMUNAL, Role.ADMIN_COMMUNAL)
    user = UserFactory(role=role, is_staff=True, communes=[marseille] if communal else None)
    client.force_login(user)
    listed = spaces_of(user)
    page = client.get("/comptes/profil/").content.decode()
    for space in listed:
        assert f'<a href="{space.url}">{escape(space.label)}</a>' in page
        assert client.get(space.url).status_code in (200, 302), space.label
    for space in set(SPACES) - set(listed):
        assert escape(space.label) not in page
    assert bool(ROLE_CAPABILITIES[role] & set(CATALOGUE_READERS)) == any(
        space.url_name == "acces:catalogue" for space in listed
    )
