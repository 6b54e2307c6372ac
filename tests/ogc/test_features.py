"""OGC API Features through Django's client: documents, paging, filters, CRS, refusals in French."""

import json

import pytest

from foncier.models import Gisement, ZonePlu
from gouvernance.models import Telechargement

JSON = {"HTTP_ACCEPT": "application/json"}


def get(client, path, **extra):
    return client.get(f"/ogc/{path}", **{**JSON, **extra})


def test_landing_conformance_and_api_are_json_for_clients_and_french_html_for_browsers(client):
    landing = get(client, "")
    assert landing.status_code == 200 and landing["Content-Type"].startswith("application/json")
    rels = {link["rel"] for link in landing.json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conforms = get(client, "conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms
    api = get(client, "api")
    assert api["Content-Type"].startswith("application/vnd.oai.openapi+json")
    parameters = api.json()["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 10_000 and limit["schema"]["default"] == 100
    html = client.get("/ogc/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert "Se connecter depuis un SIG" in html.content.decode()


def test_anonymous_listing_hides_restricted_collections_a_token_reveals_them(client, foncier, agent_token):
    public = {c["id"] for c in get(client, "collections").json()["collections"]}
    assert {"communes", "arrondissements", "zones-plui", "signalements", "arrets", "lignes"} <= public
    assert not {"gisements", "dvf-mutations"} & public
    with_token = get(client, "collections", HTTP_AUTHORIZATION=f"Token {agent_token}").json()["collections"]
    assert {"gisements", "dvf-mutations"} <= {c["id"] for c in with_token}


def test_communes_page_through_every_feature_with_next_links(client, territoire):
    seen, url = [], "/ogc/collections/communes/items?limit=40"
    while url:
        page = client.get(url, **JSON).json()
        assert page["numberMatched"] == territoire.count()
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert sorted(seen) == sorted(territoire.values_list("insee", flat=True))


def test_bbox_crs_and_attribute_filter(client, territoire):
    # A box around Aix-en-Provence's town centre only.
    page = get(client, "collections/communes/items?bbox=5.44,43.52,5.46,43.53").json()
    assert [f["id"] for f in page["features"]] == ["13001"]
    lambert = get(
        client, "collections/communes/items?insee=13001&crs=http://www.opengis.net/def/crs/EPSG/0/2154"
    )
    assert lambert["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/2154>"
    x, y = lambert.json()["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 850_000 < x < 950_000 and 6_240_000 < y < 6_300_000
    latlon = get(
        client, "collections/communes/items/13001?crs=http://www.opengis.net/def/crs/EPSG/0/4326"
    ).json()
    lat, lon = latlon["geometry"]["coordinates"][0][0][0]
    assert 43 < lat < 44 and 5 < lon < 6


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=5,44,4,43", "bbox"),
        ("crs=EPSG:3857", "crs"),
        ("datetime=2024-01-01", "temporelle"),
        ("couleur=rouge", "Paramètre inconnu"),
    ],
)
def test_bad_parameters_are_refused_in_french_as_ogc_exceptions(client, territoire, query, words):
    response = get(client, f"collections/communes/items?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue" and words in response.json()["description"]


def test_unknown_collection_and_feature_are_json_404(client, territoire):
    assert get(client, "collections/inconnue").json()["code"] == "NotFound"
    assert get(client, "collections/communes/items/99999").status_code == 404


def test_datetime_filters_land_consumption_by_year(client, foncier):
    year = "datetime=2015-01-01/2015-12-31&limit=1000"
    page = get(client, f"collections/consommation-espaces/items?{year}").json()
    assert page["numberMatched"] > 0
    assert {f["properties"]["annee"] for f in page["features"]} == {2015}


def test_restricted_collection_needs_a_token_with_the_right_and_each_page_is_logged(
    client, foncier, agent_token, citizen_token
):
    assert Gisement.objects.exists() and ZonePlu.objects.exists()
    anonymous = get(client, "collections/gisements/items")
    assert anonymous.status_code == 401 and "Connectez-vous" in anonymous.json()["description"]
    refused = get(client, "collections/gisements/items", HTTP_AUTHORIZATION=f"Token {citizen_token}")
    assert refused.status_code == 403
    read = get(client, "collections/gisements/items", HTTP_AUTHORIZATION=f"Token {agent_token}")
    assert read.status_code == 200 and read["X-Robots-Tag"] == "noindex, nofollow"
    assert read.json()["numberMatched"] == Gisement.objects.count()
    logged = Telechargement.objects.filter(jeu__slug="gisements-fonciers").order_by("at")
    attempts = [(t.autorise, t.canal, t.format) for t in logged]
    assert attempts == [(False, "api", "geojson"), (True, "api", "geojson")]
    bad = get(client, "collections/gisements/items", HTTP_AUTHORIZATION="Token nimportequoi")
    assert bad.status_code == 401


def test_items_html_page_lists_the_attributes(client, territoire):
    page = client.get("/ogc/collections/communes/items?limit=5", HTTP_ACCEPT="text/html").content.decode()
    assert "Entités 1 à 5 sur" in page and "13001" in page


def test_features_are_valid_geojson_text(client, territoire):
    raw = get(client, "collections/communes/items?limit=2").content
    page = json.loads(raw)
    assert page["type"] == "FeatureCollection" and page["numberReturned"] == 2
    assert page["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_reports_are_served_with_the_open_data_rounding_and_without_rejected_ones(client, marseille):
    from django.contrib.gis.geos import Point

    from signalements.demo import load_categories
    from signalements.models import Categorie, Signalement

    load_categories()
    proprete = Categorie.objects.get(code="proprete")
    point = Point(5.374123, 43.295149, srid=4326)
    point.transform(2154)
    where = {"commune": marseille, "categorie": proprete, "geom": point}
    kept = Signalement.objects.create(**where, description="Dépôt")
    Signalement.objects.create(**where, description="Doublon", status="rejete")
    page = get(client, "collections/signalements/items").json()
    assert [f["id"] for f in page["features"]] == [kept.pk]
    feature = page["features"][0]
    assert feature["geometry"]["coordinates"] == [5.3741, 43.2951]
    assert "description" not in feature["properties"]
    assert feature["properties"]["categorie_code"] == "proprete"
    today = kept.created_at.date().isoformat()
    assert get(client, f"collections/signalements/items?datetime={today}").json()["numberMatched"] == 1
    assert get(client, "collections/signalements/items?datetime=../2001-01-01").json()["numberMatched"] == 0
    assert get(client, "collections/signalements/items?statut=resolu").json()["numberMatched"] == 0
