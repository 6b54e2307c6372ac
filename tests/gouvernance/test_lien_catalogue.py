"""The governance page's « catalogue des données » leads each reader to the catalogue it may open."""

import pytest

from observatoire.accounts.enums import Role
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "href"),
    [
        (None, 'href="/opendata/">catalogue open data</a>'),
        (Role.CITOYEN, 'href="/opendata/">catalogue open data</a>'),
        (Role.PARTENAIRE, 'href="/gouvernance/catalogue/">catalogue des données</a>'),
        (Role.AGD, 'href="/gouvernance/catalogue/">catalogue des données</a>'),
    ],
)
def test_catalogue_link_of_the_governance_page(client, role, href):
    if role:
        client.force_login(UserFactory(role=role))
    page = client.get("/gouvernance/").content.decode()
    assert href in page
    if role is None:
        assert 'href="/comptes/login/?next=/gouvernance/catalogue/">connectés</a>' in page
