"""Embed views: public content only, a minimal layout, and framing only for the listed origins."""

import html

import pytest

from observatoire.accounts.enums import Role
from tests.factories import UserFactory

PORTRAIT = "/territoires/13001/integrer/"
CARTE = "/observatoires/habitat/tableau-de-bord/integrer/?indicateur=taux-vacance"
ALLOWED = ["https://www.ville-exemple.fr", "https://mairie.exemple.org"]


def frame_ancestors(response):
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    return directives["frame-ancestors"]


@pytest.mark.parametrize("url", [PORTRAIT, CARTE])
def test_without_allowed_origins_embeds_refuse_framing_like_every_page(client, indicateurs, settings, url):
    settings.EMBED_ALLOWED_ORIGINS = []
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "'none'"


@pytest.mark.parametrize("url", [PORTRAIT, CARTE])
def test_listed_origins_may_frame_the_embeds_and_nothing_else(client, indicateurs, settings, url):
    settings.EMBED_ALLOWED_ORIGINS = ALLOWED
    response = client.get(url)
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == " ".join(ALLOWED)
    for page in ("/territoires/13001/", "/observatoires/habitat/tableau-de-bord/", "/"):
        other = client.get(page)
        assert other["X-Frame-Options"] == "DENY" and frame_ancestors(other) == "'none'"


def test_the_portrait_embed_shows_public_figures_only_even_to_an_elu(client, indicateurs):
    client.force_login(UserFactory(role=Role.ELU))
    assert "Loyer médian" in client.get("/territoires/13001/").content.decode()
    page = client.get(PORTRAIT).content.decode()
    assert "Taux de logements vacants" in page and "7,5" in page and "8,4" in page
    assert "Loyer médian" not in page
    # A minimal layout: no site header, a link back to the portrait.
    assert "site-header" not in page and 'href="http://testserver/territoires/13001/"' in page


def test_a_reserved_indicator_is_never_embedded(client, indicateurs):
    client.force_login(UserFactory(role=Role.ELU))
    response = client.get("/observatoires/habitat/tableau-de-bord/integrer/?indicateur=loyer-median")
    assert response.status_code == 404


def test_the_map_embed_draws_the_dashboards_map_for_the_same_filters(client, indicateurs):
    page = client.get(CARTE + "&millesime=2022&territoire=13001").content.decode()
    assert 'data-geojson-url="/api/v1/indicateurs/taux-vacance/communes.geojson?millesime=2022' in page
    assert 'data-highlight="13001"' in page
    assert "Insee, recensement, millésime 2022" in page


def test_the_pages_give_the_iframe_snippet_of_public_content(client, indicateurs):
    portrait = html.unescape(client.get("/territoires/13001/").content.decode())
    assert "<summary>Intégrer</summary>" in portrait
    assert (
        '<iframe src="http://testserver/territoires/13001/integrer/" title="Aix-en-Provence en chiffres"'
        in portrait
    )
    dashboard = html.unescape(
        client.get("/observatoires/habitat/tableau-de-bord/?indicateur=taux-vacance").content.decode()
    )
    assert (
        '<iframe src="http://testserver/observatoires/habitat/tableau-de-bord/integrer/?indicateur=taux-vacance'
        in dashboard
    )
    client.force_login(UserFactory(role=Role.ELU))
    reserved = client.get("/observatoires/habitat/tableau-de-bord/?indicateur=loyer-median").content.decode()
    assert "Intégrer" not in reserved
