"""The environnement pages: public, with a table for every chart and map, and the areas' GeoJSON."""

import pytest

from environnement.indicateurs import recompute
from foncier.consommation_indicateurs import recompute as recompute_foncier
from foncier.models import ConsommationEspace


@pytest.fixture
def pages(environnement, client):
    aix = environnement["aix"]
    for annee, ha in ((2021, 12.5), (2022, 10.0), (2023, 8.25)):
        ConsommationEspace.objects.create(commune=aix, annee=annee, total_ha=ha)
    recompute_foncier()
    recompute()
    return client


def test_dashboard_for_elus(pages):
    response = pages.get("/environnement/tableau-de-bord/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="tableau-catnat"' in html and 'data-figure="catnat"' in html
    figures = response.context["figures"]
    assert set(figures) == {"catnat", "air"}
    # 1990 (Aix), 2003 (Aix, two perils), 2022 (Marseille), 2023 (Aix); the 1981 decree left out.
    assert [(r["annee"], r["total"]) for r in response.context["catnat"]] == [
        (1990, 1),
        (2003, 1),
        (2022, 1),
        (2023, 1),
    ]
    assert response.context["catnat"][1]["familles"] == [
        0,
        1,
        1,
        0,
    ]  # secheresse, inondations, mouvements, autres
    assert [(r["annee"], r["communes"], r["moyenne"], r["dominant"]) for r in response.context["air"]] == [
        (2023, 1, 10, "O3")
    ]
    assert "la dernière année publiée est provisoire" in html
    assert "2023 (provisoire)" in html
    assert "/observatoires/environnement/tableau-de-bord/" in html
    aix_row = next(r for r in response.context["couverture"] if r.get("insee") == "13001")
    assert aix_row["tous"] > 0 and aix_row["natura"] > 0


def test_dashboard_of_one_commune(pages):
    response = pages.get("/environnement/tableau-de-bord/", {"commune": "13055"})
    assert response.context["nom"] == "Marseille"
    assert [(r["annee"], r["total"]) for r in response.context["catnat"]] == [(2022, 1)]
    assert response.context["air"] == [] and response.context["consommation"] == []
    assert (
        pages.get("/environnement/tableau-de-bord/", {"commune": "83137"}).status_code == 200
    )  # form error shown


def test_risk_map_has_its_table(pages):
    response = pages.get("/environnement/carte-risques/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/api/v1/indicateurs/catnat-arretes/communes.geojson?millesime=2023" in html
    assert 'href="#tableau-risques"' in html and 'id="tableau-risques"' in html
    aix = next(c for c in response.context["communes"] if c["insee"] == "13001")
    assert (aix["arretes"], aix["depuis_2000"], aix["dernier"], aix["pprn"]) == (3, 2, 2023, 2)
    assert [(p.commune.insee, p.cod_risque) for p in response.context["pprn"]] == [
        ("13001", "17"),
        ("13001", "11"),
    ]
    assert "Feu de forêt" in html


def test_natural_areas_map_and_geojson(pages):
    response = pages.get("/environnement/carte-espaces-naturels/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'id="tableau-espaces"' in html and 'id="liste-espaces"' in html and 'href="#tableau-espaces"' in html
    )
    data = pages.get("/api/v1/environnement/espaces-naturels.geojson").json()
    assert sorted(f["id"] for f in data["features"]) == [
        "natura_sic-FR9301",
        "natura_zps-FR9312",
        "znieff1-930012",
    ]
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 5.0 < lon < 6.0 and 43.0 < lat < 44.0
    assert data["features"][0]["properties"]["type_libelle"]
    only = pages.get("/api/v1/environnement/espaces-naturels.geojson", {"type": "znieff1"}).json()
    assert [f["properties"]["nom"] for f in only["features"]] == ["ZNIEFF"]
    assert pages.get("/api/v1/environnement/espaces-naturels.geojson", {"type": "x"}).status_code == 400


def test_pages_without_data(client, territoire):
    for url in (
        "/environnement/tableau-de-bord/",
        "/environnement/carte-risques/",
        "/environnement/carte-espaces-naturels/",
    ):
        assert client.get(url).status_code == 200


def test_generic_pages_work_with_the_indicators(pages):
    board = pages.get("/observatoires/environnement/tableau-de-bord/", {"indicateur": "catnat-arretes"})
    assert (
        board.status_code == 200 and "Arrêtés de catastrophe naturelle depuis 1982" in board.content.decode()
    )
    assert pages.get("/observatoires/indicateurs/part-natura2000/carte/").status_code == 200
