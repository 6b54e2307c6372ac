import pytest

# Chromium and its page fixtures live in tests/conftest.py: one browser for the whole run, whichever
# folders its tests are in (a second sync Playwright in the same process cannot start).
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - imported by browser tests


@pytest.fixture
def demo_portal(live_server, territoire):
    """The live portal with the demo accounts, governance and a published open dataset; its URL."""
    from gouvernance.demo import load_demo_gouvernance
    from gouvernance.models import JeuDeDonnees
    from observatoire.accounts.demo import load_demo_accounts
    from observatoire.opendata.services import publish
    from observatoire.opendata.sources import sync_catalogue

    load_demo_accounts()
    load_demo_gouvernance()
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug="communes-metropole"))
    return live_server.url
