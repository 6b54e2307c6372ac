"""The DVF sales map: agents and élus only, never indexed, its text alternative from the indicators."""

import pytest
from django.urls import reverse

from foncier.dvf.importer import import_path
from foncier.dvf.indicateurs import recompute
from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from tests.factories import UserFactory
from tests.foncier.test_dvf import sample_rows, text, write

URL = "/foncier/dvf/carte/"
NO_SALE = [("Maisons", 0, None), ("Terrains à bâtir", 0, None)]


@pytest.fixture
def ventes(territoire, aix, marseille, tmp_path):
    import_path(write(tmp_path, text(sample_rows())))
    recompute()


def test_the_url_is_the_one_the_observatory_links_to():
    assert reverse("foncier:dvf-carte") == URL


def test_anonymous_visitors_are_sent_to_log_in_and_told_not_to_index(client, territoire):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_citizen_is_refused_and_the_attempt_logged(client, territoire):
    citizen = UserFactory(role=Role.CITOYEN)
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 403
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "réservé" in response.content.decode()
    attempt = Telechargement.objects.get(user=citizen)
    assert (attempt.jeu.slug, attempt.autorise) == ("dvf-mutations", False)


@pytest.mark.parametrize("role", [Role.AGENT_METROPOLITAIN, Role.ELU])
def test_an_agent_gets_the_map_the_tiles_and_the_table_by_commune(client, ventes, role):
    agent = UserFactory(role=role)
    client.force_login(agent)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'data-tuiles-dvf="/ogc/collections/dvf-mutations/tiles/WebMercatorQuad/tilejson.json"' in html
    # Latest year with indicators first: 2024, one apartment sold in Aix (a median from one sale: secret).
    assert response.context["millesime"] == 2024
    rows = {row["nom"]: row["marches"] for row in response.context["communes"]}
    assert rows == {
        "Aix-en-Provence": [("Appartements", 1, None), ("Maisons", 0, None), ("Terrains à bâtir", 0, None)]
    }
    assert "n.d." in html
    logged = Telechargement.objects.get(user=agent)
    assert (logged.jeu.slug, logged.autorise, logged.format) == ("dvf-mutations", True, "html")


def test_the_table_of_an_earlier_year_keeps_the_secret_under_five_sales(client, ventes):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    response = client.get(URL, {"millesime": "2023"})
    rows = {row["nom"]: row["marches"] for row in response.context["communes"]}
    assert rows["Aix-en-Provence"] == [
        ("Appartements", 5, 5000.0),
        ("Maisons", 4, None),  # four houses: secret
        ("Terrains à bâtir", 5, 300.0),
    ]
    assert rows["Marseille"] == [
        ("Appartements", 2, None),
        ("Maisons", 0, None),
        ("Terrains à bâtir", 0, None),
    ]
    assert "5 000" in response.content.decode()


def test_an_unknown_year_is_a_form_error_in_french_and_the_latest_year_is_shown(client, ventes):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    response = client.get(URL, {"millesime": "1890"})
    assert response.status_code == 200
    assert response.context["millesime"] == 2024
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_without_sales_the_page_says_so(client, territoire):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucune vente DVF n'a encore été importée." in response.content.decode()


def test_the_zan_page_links_to_the_map_only_for_those_with_the_right(client, territoire):
    assert URL not in client.get("/foncier/zan/").content.decode()
    client.force_login(UserFactory(role=Role.CITOYEN))
    assert URL not in client.get("/foncier/zan/").content.decode()
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    assert URL in client.get("/foncier/zan/").content.decode()
    # Listing the link logs nothing: only a visit of the map does.
    assert not Telechargement.objects.filter(jeu__slug="dvf-mutations").exists()
