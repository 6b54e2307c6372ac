import pytest
from django.core.management import call_command

from foncier.consommation_indicateurs import recompute
from foncier.demo_foncier import load_demo_foncier
from foncier.models import ConsommationEspace, Gisement, ZonePlu
from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from tests.factories import UserFactory

from .test_consommation import GOOD, write_csv
from .test_gisements import gisements_rows, write_layer
from .test_zones_plu import zones_rows


@pytest.fixture
def foncier(territoire, tmp_path):
    call_command("import_gisements", str(write_layer(tmp_path, gisements_rows())), verbosity=0)
    call_command("import_zones_plu", str(write_layer(tmp_path, zones_rows(), "plui.gpkg")), verbosity=0)
    call_command("import_consommation_espace", write_csv(tmp_path, GOOD), verbosity=0)
    recompute()


@pytest.fixture
def agent(client):
    """An agent of the metropolis: a role the catalogue admits to the restricted gisements inventory."""
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    return client


def test_gisements_geojson_is_wgs84_and_filtered(agent, foncier, django_assert_max_num_queries):
    client, url = agent, "/api/v1/foncier/gisements.geojson"
    client.get(url)  # the catalogue record is created on the first request
    # Session and user, the gate (record, roles, commune scope, logged fetch), then the features.
    with django_assert_max_num_queries(8):
        data = client.get(url).json()
    assert [f["id"] for f in data["features"]] == ["G-1", "G-2"]
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 5.0 < lon < 6.0 and 43.0 < lat < 44.0
    props = data["features"][0]["properties"]
    assert (props["type_libelle"], props["statut_libelle"], props["commune_nom"]) == (
        "Dent creuse",
        "À l'étude",
        "Aix-en-Provence",
    )
    assert [f["id"] for f in client.get(url, {"commune": "13055"}).json()["features"]] == ["G-2"]
    assert client.get(url, {"type": "extension"}).json()["features"] == []
    assert client.get(url, {"type": "parking"}).status_code == 400
    assert client.get(url, {"commune": "83137"}).status_code == 400


def test_zones_geojson_serves_au_zones_unless_asked(client, foncier):
    url = "/api/v1/foncier/zones-plu.geojson"
    libelles = lambda response: sorted(f["properties"]["libelle"] for f in response.json()["features"])  # noqa: E731
    assert libelles(client.get(url)) == ["1AU", "2AU"]
    assert libelles(client.get(url, {"commune": "13001"})) == ["1AU"]
    assert libelles(client.get(url, {"typezone": "U,AUc"})) == ["1AU", "UA"]
    assert client.get(url, {"typezone": "X"}).status_code == 400


def test_gisements_are_not_served_to_anonymous_visitors_nor_to_refused_users(client, foncier):
    page = client.get("/foncier/gisements/")
    assert page.status_code == 302 and page["Location"].startswith("/comptes/login/")
    api = client.get("/api/v1/foncier/gisements.geojson")
    assert api.status_code == 401 and "features" not in api.json()
    assert Telechargement.objects.count() == 0  # nobody to name in the log
    assert "Gisements fonciers" not in client.get("/foncier/zan/").content.decode()

    client.force_login(UserFactory(role=Role.PARTENAIRE))
    refused = client.get("/foncier/gisements/")
    content = refused.content.decode()
    assert refused.status_code == 403 and "Dent creuse du Pigonnet" not in content
    assert "Accès réservé" in content and "/gouvernance/catalogue/gisements-fonciers/demander/" in content
    api = client.get("/api/v1/foncier/gisements.geojson")
    assert api.status_code == 403 and api.json()["demande"].endswith("/gisements-fonciers/demander/")
    log = Telechargement.objects.order_by("at").values_list("autorise", "canal", "format")
    assert list(log) == [(False, "web", "html"), (False, "api", "geojson")]


def test_gisements_page_for_an_agent_with_tables_and_filters(agent, foncier):
    client = agent
    response = client.get("/foncier/gisements/", {"commune": "13001"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dent creuse du Pigonnet" in content and "Friche des Crottes" not in content
    assert 'data-gisements-url="/api/v1/foncier/gisements.geojson?commune=13001"' in content
    # The zoning comes as vector tiles of the « zones-plui » collection, kept to the commune.
    assert 'data-tuiles-zones="/ogc/collections/zones-plui/tiles/WebMercatorQuad/tilejson.json"' in content
    assert 'data-commune="13001"' in content
    assert "Zone 1AU" in content  # the AU zone in the text alternative
    invalid = client.get("/foncier/gisements/", {"type": "parking"})
    assert invalid.status_code == 200 and "Sélectionnez un choix valide" in invalid.content.decode()
    assert "Gisements fonciers" in client.get("/foncier/zan/").content.decode()
    log = Telechargement.objects.values_list("autorise", "canal", "format", "jeu__slug")
    assert list(log) == [(True, "web", "html", "gisements-fonciers")] * 2


def test_zan_page_and_api_give_the_hand_computed_figures(client, foncier):
    body = client.get("/api/v1/foncier/zan/", {"commune": "13001"}).json()
    assert (
        body["reference_2011_2021_ha"],
        body["enveloppe_2021_2031_ha"],
        body["consomme_depuis_2021_ha"],
    ) == (
        100,
        50,
        20,
    )
    assert (body["part_consommee_pct"], body["restant_ha"], body["rythme_restant_ha_an"]) == (40, 30, 3.75)
    metro = client.get("/api/v1/foncier/zan/").json()
    assert (metro["territoire"], metro["reference_2011_2021_ha"]) == ("200054807", 140)
    page = client.get("/foncier/zan/", {"commune": "13001"})
    content = page.content.decode()
    assert page.status_code == 200
    assert "100,0 ha" in content and "40,0 %" in content and "3,8 ha par an" in content
    assert 'id="zan-figures"' in content and '"annuel"' in content and '"cumul"' in content
    assert "<script>" not in content.replace('<script id="zan-figures" type="application/json">', "")


def test_zan_page_without_data_says_so(client, territoire):
    content = client.get("/foncier/zan/").content.decode()
    assert "Aucune donnée de consommation" in content


def test_demo_files_go_through_the_importers_and_link_the_observatory(client, territoire, tmp_path):
    done = load_demo_foncier(tmp_path)
    assert done["gisements fonciers"] == Gisement.objects.count() >= 250
    assert ZonePlu.objects.a_urbaniser().values("commune").distinct().count() == 92
    assert ConsommationEspace.objects.values("commune").distinct().count() == 92
    assert (tmp_path / "plui_zone_urba.gpkg").exists() and (
        tmp_path / "cerema_conso_enaf_2009_2023.csv"
    ).exists()
    assert load_demo_foncier(tmp_path) == {}  # idempotent
    content = client.get("/observatoires/foncier/").content.decode()
    assert 'href="/foncier/gisements/"' not in content and 'href="/foncier/zan/"' in content
    assert 'href="/foncier/dvf/carte/"' not in content
    assert "2 contenus" in content  # the restricted maps (gisements, DVF sales) are counted, not shown
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    content = client.get("/observatoires/foncier/").content.decode()
    assert 'href="/foncier/gisements/"' in content and 'href="/foncier/zan/"' in content
    assert 'href="/foncier/dvf/carte/"' in content
