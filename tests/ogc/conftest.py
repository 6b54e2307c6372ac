import pytest
from rest_framework.authtoken.models import Token

from observatoire.accounts.enums import Role
from tests.factories import UserFactory
from tests.foncier.test_pages_foncier import foncier  # noqa: F401 - a fixture shared with the foncier pages


@pytest.fixture
def agent_token():
    """An API token of a metropolitan agent: a role the catalogue admits to gisements and DVF."""
    return Token.objects.create(user=UserFactory(role=Role.AGENT_METROPOLITAIN)).key


@pytest.fixture
def citizen_token():
    return Token.objects.create(user=UserFactory(role=Role.CITOYEN)).key
