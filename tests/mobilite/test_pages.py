from django.core.management import call_command

from mobilite.demo import load_demo_mobilite
from mobilite.models import Arret, Carreau, Flux, ModesTransport
from observatoire.indicateurs.models import Valeur
from observatoire.observatoires.models import Contenu
from observatoire.territoires.models import Commune

from .gtfs_files import STOP_TIMES, write_zip
from .test_flux_modes import FLUX, write


def test_stops_and_lines_geojson_in_wgs84_cached_until_a_new_feed(
    client, territoire, tmp_path, django_assert_num_queries
):
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    response = client.get("/api/v1/mobilite/arrets.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    features = {f["properties"]["id"]: f for f in response.json()["features"]}
    assert set(features) == {"AIX1", "AIX2", "MRS1"}
    assert features["AIX1"]["geometry"]["coordinates"] == [5.4474, 43.5263]
    assert features["AIX1"]["properties"]["passages"] == 4
    assert features["AIX1"]["properties"]["commune"] == "Aix-en-Provence"
    with django_assert_num_queries(1):  # the network version; the payload comes from Redis
        assert client.get("/api/v1/mobilite/arrets.geojson").content == response.content
    call_command(
        "import_gtfs", write_zip(tmp_path / "new.zip", stop_times_txt=STOP_TIMES.replace(",AIX2,", ",AIX1,"))
    )
    first = client.get("/api/v1/mobilite/arrets.geojson").json()["features"][0]["properties"]
    assert (first["id"], first["passages"]) == ("AIX1", 8)
    lignes = client.get("/api/v1/mobilite/lignes.geojson").json()["features"]
    l1 = next(f for f in lignes if f["properties"]["id"] == "L1")
    assert l1["geometry"]["type"] == "MultiLineString" and l1["properties"]["couleur"] == "FF0000"


def test_network_page_lists_lines_and_stops(client, territoire, tmp_path):
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    response = client.get("/mobilite/reseau/")
    assert response.status_code == 200
    html = response.content.decode()
    # The map draws the « arrets » and « lignes » collections' vector tiles, opened on the network.
    assert 'data-tuiles-arrets="/ogc/collections/arrets/tiles/WebMercatorQuad/tilejson.json"' in html
    assert 'data-nombre-arrets="3" data-nombre-lignes="3"' in html
    assert "Réseau test : 3 arrêts sur le territoire, 5 courses le mardi 7 janvier 2025." in html
    assert '<td>Rotonde – Gare routière</td><td>Bus</td><td class="num">3</td>' in html
    assert '<td>Rotonde</td><td>Aix-en-Provence</td><td>1, 50, P</td><td class="num">4</td>' in html
    assert "<script>" not in html and "style=" not in html


def test_flows_page_and_api_filter_by_commune(client, territoire, tmp_path):
    call_command("import_mobilites_professionnelles", write(tmp_path, FLUX))
    body = client.get("/api/v1/mobilite/flux.geojson").json()
    assert body["millesime"] == 2019
    pairs = [
        (f["properties"]["origine"]["insee"], f["properties"]["destination"]["insee"])
        for f in body["features"]
    ]
    assert pairs == [("13001", "13055"), ("13055", "13001")]
    assert [f["properties"]["actifs"] for f in body["features"]] == [40, 30]
    assert body["features"][0]["geometry"]["type"] == "LineString"
    assert client.get("/api/v1/mobilite/flux.geojson", {"commune": "13005"}).json()["features"] == []
    assert client.get("/api/v1/mobilite/flux.geojson", {"commune": "75056"}).status_code == 400
    assert client.get("/api/v1/mobilite/flux.geojson", {"limite": "0"}).status_code == 400
    response = client.get("/mobilite/flux/", {"commune": "13001", "limite": 10})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 principaux flux au départ ou à destination de Aix-en-Provence, 2019" in html
    assert (
        'data-flux-url="/api/v1/mobilite/flux.geojson?millesime=2019&amp;commune=13001&amp;limite=10"' in html
    )
    assert client.get("/mobilite/flux/").status_code == 200


def test_empty_pages_still_answer(client, territoire):
    assert "Aucun réseau importé" in client.get("/mobilite/reseau/").content.decode()
    assert "Aucun flux pour ce millésime." in client.get("/mobilite/flux/").content.decode()
    assert client.get("/api/v1/mobilite/arrets.geojson").json() == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_demo_loads_every_file_through_the_importers_once(client, territoire, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    done = load_demo_mobilite()
    assert set(done) == {
        "gtfs_reseau_metropolitain.zip", "carreaux_200m_met.csv",
        "base-flux-mobilite-domicile-lieu-travail-2021.csv", "base-cc-emploi-pop-active-2021.csv",
    }  # fmt: skip
    assert load_demo_mobilite() == {}
    assert Arret.objects.filter(commune__insee="13055").count() > 100
    assert Arret.objects.filter(passages__lt=20).exists() and Arret.objects.filter(passages__gte=200).exists()
    aix = Commune.objects.get(insee="13001")
    assert sum(Carreau.objects.filter(commune=aix).values_list("population", flat=True)) == aix.population
    assert Flux.objects.filter(commune__insee="13055", code_travail="13055").exists()
    assert ModesTransport.objects.count() == 92
    shares = Valeur.objects.filter(indicateur__code="population-desservie-tc", commune__isnull=False)
    assert shares.count() == 92 and all(0 <= v <= 100 for v in shares.values_list("valeur", flat=True))
    urls = set(Contenu.objects.filter(rubrique__observatoire__slug="mobilite").values_list("url", flat=True))
    assert urls == {"/mobilite/reseau/", "/mobilite/flux/"}
    assert "/mobilite/reseau/" in client.get("/observatoires/mobilite/").content.decode()
