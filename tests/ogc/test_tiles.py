"""OGC API – Tiles: documents, MVT tiles read by mapbox-vector-tile and by GDAL's MVT driver, clusters
below the detail zoom, simplification, rights and audit, ETag/304 and invalidation by any write path."""

import dataclasses
import json
import math
import shutil
import subprocess

import mapbox_vector_tile
import psycopg
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection

from foncier.models import Gisement, Mutation, TypeMutation
from gouvernance.models import Telechargement
from observatoire.ogc import registry, versions
from observatoire.ogc.tilesets import EXTENT, TileSettings, lonlat_to_tile, tile_metres
from signalements.clusters import cell_size
from signalements.enums import Status
from signalements.grid import rebuild
from signalements.models import Signalement
from signalements.positions import public_coordinate
from tests.signalements.conftest import categories, marseille_setup, open_category, service_marseille  # noqa: F401

MVT = "application/vnd.mapbox-vector-tile"
VIEUX_PORT = (5.3733, 43.2948)
TMS = "WebMercatorQuad"


@pytest.fixture
def reports(marseille_setup, categories, aix):  # noqa: F811 - fixtures of the reports' tests
    """Reports around the Vieux-Port, one of them rejected (never published), and two in Aix."""
    made = []
    points = [(VIEUX_PORT[0] + i * 0.0001, VIEUX_PORT[1] + (i % 2) * 0.0001) for i in range(6)]
    points += [(5.4454, 43.5263), (5.4460, 43.5268)]
    for i, (lon, lat) in enumerate(points):
        geom = Point(lon, lat, srid=4326)
        geom.transform(2154)
        made.append(
            Signalement.objects.create(
                commune=aix if lat > 43.5 else marseille_setup,
                categorie=categories["voirie"],
                geom=geom,
                description="x",
                status=Status.REJETE if i == 5 else [Status.NOUVEAU, Status.CLOS][i % 2],
            )
        )
    return made


def tile_url(collection, z, x, y):
    return f"/ogc/collections/{collection}/tiles/{TMS}/{z}/{y}/{x}"


def tile_at(lon, lat, z):
    x, y = lonlat_to_tile(lon, lat, z)
    return z, x, y


def decode(response):
    assert response.status_code == 200 and response["Content-Type"] == MVT, response.content[:300]
    return mapbox_vector_tile.decode(response.content)


def tile_to_lonlat(z, x, y, px, py):
    """A point of the tile's 4096 grid (mapbox-vector-tile flips y: origin at the bottom) to WGS84."""
    size = tile_metres(z)
    mx = -20037508.3427892 + (x + px / EXTENT) * size
    my = 20037508.3427892 - (y + 1 - py / EXTENT) * size
    lon = mx / 6378137 * 180 / math.pi
    lat = math.degrees(2 * math.atan(math.exp(my / 6378137)) - math.pi / 2)
    return lon, lat


def with_tiles(monkeypatch, collection_id, tiles):
    collection = dataclasses.replace(registry.get_collection(collection_id), tiles=tiles)
    monkeypatch.setitem(registry.COLLECTIONS, collection_id, collection)
    versions.watch_collections([collection])
    return collection


def test_tile_matrix_set_tilesets_tileset_and_tilejson_documents(client):
    sets = client.get("/ogc/tileMatrixSets").json()["tileMatrixSets"]
    assert [s["id"] for s in sets] == [TMS]
    tms = client.get(f"/ogc/tileMatrixSets/{TMS}").json()
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857" and len(tms["tileMatrices"]) == 25
    assert tms["tileMatrices"][0]["scaleDenominator"] == pytest.approx(559082264.0287178)
    assert tms["tileMatrices"][16]["matrixWidth"] == 2**16

    listing = client.get("/ogc/collections/signalements/tiles").json()
    item = next(link for link in listing["tilesets"][0]["links"] if link["rel"] == "item")
    assert item["type"] == MVT
    assert item["href"].endswith(f"/signalements/tiles/{TMS}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}")

    tileset = client.get(f"/ogc/collections/signalements/tiles/{TMS}").json()
    assert tileset["dataType"] == "vector" and tileset["layers"][0]["id"] == "signalements"
    limits = {row["tileMatrix"]: row for row in tileset["tileMatrixSetLimits"]}
    assert set(limits) == {str(z) for z in range(8, 21)}
    assert (limits["16"]["minTileCol"], limits["16"]["maxTileRow"]) == (
        lonlat_to_tile(4.70, 43.75, 16)[0],
        lonlat_to_tile(5.85, 43.15, 16)[1],
    )

    tilejson = client.get(f"/ogc/collections/signalements/tiles/{TMS}/tilejson.json")
    document = tilejson.json()
    assert document["tilejson"] == "3.0.0" and document["bounds"] == list(settings.SPATIAL_EXTENT)
    assert document["tiles"][0].startswith("http://testserver/ogc/collections/signalements/tiles/")
    assert document["tiles"][0].endswith("/{z}/{y}/{x}")
    assert (document["minzoom"], document["maxzoom"]) == (8, 20)
    fields = document["vector_layers"][0]["fields"]
    assert fields["identifiant"] == "Number" and fields["statut"] == "String" and fields["count"] == "Number"
    assert tilejson["Cache-Control"].startswith("public")


def test_street_zoom_tile_holds_the_rounded_public_points_read_by_mapbox_vector_tile(client, reports):
    z, x, y = tile_at(*VIEUX_PORT, 17)
    response = client.get(tile_url("signalements", z, x, y))
    layer = decode(response)["signalements"]
    published = {r.pk for r in reports[:5]}
    assert {f["id"] for f in layer["features"]} == published  # the rejected one stays out
    feature = next(f for f in layer["features"] if f["id"] == reports[0].pk)
    assert feature["properties"] == {
        "identifiant": reports[0].pk,
        "categorie_code": "voirie",
        "categorie": reports[0].categorie.nom,
        "commune_insee": "13055",
        "statut": "nouveau",
        "date_signalement": reports[0].created_at.date().isoformat(),
    }
    lon, lat = tile_to_lonlat(z, x, y, *feature["geometry"]["coordinates"])
    # The tile's grid is ~0.3 m at zoom 17: the point is the rounded one, not the exact one.
    assert lon == pytest.approx(public_coordinate(VIEUX_PORT[0]), abs=2e-6)
    assert lat == pytest.approx(public_coordinate(VIEUX_PORT[1]), abs=2e-6)
    assert response["Cache-Control"] == "public, max-age=60" and "X-Robots-Tag" not in response


def test_gdal_mvt_driver_reads_the_same_tile(client, reports, tmp_path):
    z, x, y = tile_at(*VIEUX_PORT, 17)
    path = tmp_path / f"{z}-{x}-{y}.mvt"
    path.write_bytes(client.get(tile_url("signalements", z, x, y)).content)
    output = subprocess.run(
        [shutil.which("ogrinfo"), "-ro", "-al", "-oo", f"Z={z}", "-oo", f"X={x}", "-oo", f"Y={y}", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Layer name: signalements" in output and "Feature Count: 5" in output
    assert "categorie_code (String) = voirie" in output and "statut (String) = nouveau" in output
    # GDAL georeferences the tile itself (EPSG:3857): the first point, back in WGS84, is the rounded one.
    first = next(line for line in output.splitlines() if line.strip().startswith("POINT"))
    mx, my = (float(v) for v in first.strip()[len("POINT (") : -1].split())
    lon = mx / 6378137 * 180 / math.pi
    lat = math.degrees(2 * math.atan(math.exp(my / 6378137)) - math.pi / 2)
    assert min(abs(lon - public_coordinate(r.geom.transform(4326, clone=True).x)) for r in reports) < 2e-6
    assert 43.29 < lat < 43.30


def test_below_the_detail_zoom_tiles_hold_clusters_from_the_grid_then_counted_live(client, reports):
    rebuild(cell_size)
    z10 = decode(client.get(tile_url("signalements", *tile_at(*VIEUX_PORT, 10))))["signalements"]["features"]
    # Marseille's published reports; Aix is in another tile.
    assert sum(f["properties"]["count"] for f in z10) == 5
    assert all(set(f["properties"]) == {"count"} for f in z10)
    z9 = decode(client.get(tile_url("signalements", *tile_at(*VIEUX_PORT, 9))))["signalements"]["features"]
    assert sum(f["properties"]["count"] for f in z9) == 7  # the metropolis, rejected report left out
    z14 = decode(client.get(tile_url("signalements", *tile_at(*VIEUX_PORT, 14))))["signalements"]["features"]
    assert sum(f["properties"]["count"] for f in z14) == 5 and len(z14) <= 2
    z16 = decode(client.get(tile_url("signalements", *tile_at(*VIEUX_PORT, 16))))["signalements"]["features"]
    assert len(z16) == 5 and all("count" not in f["properties"] for f in z16)


def test_simplification_by_zoom_reduces_vertices(client, monkeypatch, territoire):
    def vertices(tile):
        def count(coordinates):
            if coordinates and isinstance(coordinates[0], (int, float)):
                return 1
            return sum(count(c) for c in coordinates)

        return sum(count(f["geometry"]["coordinates"]) for f in tile["communes"]["features"])

    z, x, y = tile_at(5.45, 43.53, 10)  # Aix-en-Provence and its neighbours
    simplified = vertices(decode(client.get(tile_url("communes", z, x, y))))
    communes = registry.get_collection("communes")
    with_tiles(monkeypatch, "communes", dataclasses.replace(communes.tiles, simplify=()))
    full = vertices(decode(client.get(tile_url("communes", z, x, y))))
    assert simplified < 0.9 * full, (simplified, full)  # 1005 against 1196 vertices when written


def test_restricted_tiles_need_a_token_with_the_right_and_are_logged_once_an_hour(
    client, monkeypatch, foncier, agent_token, citizen_token
):
    with_tiles(monkeypatch, "gisements", TileSettings(min_zoom=10, max_zoom=20))
    centre = Gisement.objects.get(id_gisement="G-1").geom.point_on_surface.transform(4326, clone=True)
    url = tile_url("gisements", *tile_at(centre.x, centre.y, 14))
    anonymous = client.get(url)
    assert anonymous.status_code == 401 and anonymous["Content-Type"].startswith("application/json")
    assert "Connectez-vous" in anonymous.json()["description"]
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {citizen_token}").status_code == 403
    read = client.get(url, HTTP_AUTHORIZATION=f"Token {agent_token}")
    assert decode(read)["gisements"]["features"]
    assert read["Cache-Control"].startswith("private") and read["X-Robots-Tag"] == "noindex, nofollow"
    again = client.get(url, HTTP_AUTHORIZATION=f"Token {agent_token}")
    assert again.status_code == 200
    logged = Telechargement.objects.filter(jeu__slug="gisements-fonciers").order_by("at")
    assert [(t.autorise, t.format) for t in logged] == [(False, "mvt"), (True, "mvt")]
    assert client.get(url, HTTP_AUTHORIZATION="Token nimportequoi").status_code == 401


def test_etag_gives_304_and_changes_after_an_orm_insert_and_after_raw_sql(
    client,
    reports,
    marseille,
    categories,  # noqa: F811
):
    z, x, y = tile_at(*VIEUX_PORT, 17)
    url = tile_url("signalements", z, x, y)
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    geom = Point(VIEUX_PORT[0] + 0.0001, VIEUX_PORT[1], srid=4326)
    geom.transform(2154)
    added = Signalement.objects.create(
        commune=marseille, categorie=categories["voirie"], geom=geom, description="x"
    )
    after_orm = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after_orm.status_code == 200 and after_orm["ETag"] != etag
    assert added.pk in {f["id"] for f in decode(after_orm)["signalements"]["features"]}

    with connection.cursor() as cursor:
        cursor.execute("UPDATE signalements_signalement SET status = 'doublon' WHERE id = %s", [added.pk])
    after_sql = client.get(url, HTTP_IF_NONE_MATCH=after_orm["ETag"])
    assert after_sql.status_code == 200 and after_sql["ETag"] not in (etag, after_orm["ETag"])
    assert added.pk not in {f["id"] for f in decode(after_sql)["signalements"]["features"]}


def test_a_writer_still_in_its_transaction_keeps_tiles_out_of_the_cache(client, reports):
    """Its version is counted before its rows are visible: a tile built meanwhile must not be kept."""
    tables = versions.collection_tables(registry.get_collection("signalements"))
    assert versions.data_version(tables) is not None
    config = connection.settings_dict
    other = psycopg.connect(
        dbname=config["NAME"], user=config["USER"], host=config["HOST"], port=config["PORT"]
    )
    try:
        other.execute("UPDATE signalements_signalement SET soutiens = soutiens WHERE false")
        assert versions.data_version(tables) is None
        response = client.get(tile_url("signalements", *tile_at(*VIEUX_PORT, 17)))
        assert response.status_code == 200 and "ETag" not in response
    finally:
        other.rollback()
        other.close()
    assert versions.data_version(tables) is not None


def test_junk_and_out_of_range_requests_get_json_errors_in_french(client, reports):
    junk = client.get(f"/ogc/collections/signalements/tiles/{TMS}/abc/1/2")
    assert junk.status_code == 400 and junk["Content-Type"].startswith("application/json")
    assert junk.json()["code"] == "InvalidParameterValue" and "entier" in junk.json()["description"]
    assert client.get(f"/ogc/collections/signalements/tiles/{TMS}/16/-1/2").status_code == 400
    bad_format = client.get(tile_url("signalements", 16, 1, 1) + "?f=png")
    assert bad_format.status_code == 400 and "Paramètre « f »" in bad_format.json()["description"]
    too_deep = client.get(tile_url("signalements", 21, 0, 0))
    assert too_deep.status_code == 404 and "hors de la plage" in too_deep.json()["description"]
    outside = client.get(tile_url("signalements", 10, 1024, 5))
    assert outside.status_code == 404 and "hors de la grille" in outside.json()["description"]
    assert client.get(tile_url("inconnue", 10, 1, 1)).json()["code"] == "NotFound"
    assert client.get(tile_url("consommation-espaces", 10, 1, 1)).status_code == 404  # no tiles
    assert client.get("/ogc/collections/signalements/tiles/WorldCRS84Quad/10/1/1").status_code == 404


def test_an_empty_tile_is_204(client, reports):
    response = client.get(tile_url("signalements", *tile_at(5.05, 43.10, 17)))  # at sea
    assert response.status_code == 204 and response.content == b""


def test_collections_link_to_their_tiles(client, reports):
    document = client.get("/ogc/collections/signalements", HTTP_ACCEPT="application/json").json()
    tiles = [link for link in document["links"] if link["rel"].endswith("tilesets-vector")]
    assert tiles and tiles[0]["href"].endswith("/ogc/collections/signalements/tiles")
    conforms = client.get("/ogc/conformance", HTTP_ACCEPT="application/json").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conforms


@pytest.fixture
def mutations(marseille):
    """Three flat sales near the Vieux-Port: 3 000, 4 000 and 6 000 € per m²."""
    made = []
    for i, (price, surface) in enumerate([(150_000, 50), (240_000, 60), (420_000, 70)]):
        geom = Point(VIEUX_PORT[0] + i * 0.0001, VIEUX_PORT[1], srid=4326)
        geom.transform(2154)
        made.append(
            Mutation.objects.create(
                id_mutation=f"2024-{i}",
                date_mutation="2024-03-18",
                nature_mutation="Vente",
                valeur_fonciere=price,
                commune=marseille,
                code_commune="13201",
                type_mutation=TypeMutation.APPARTEMENT,
                nb_appartements=1,
                surface_appartements=surface,
                geom=geom,
            )
        )
    return made


def test_dvf_tiles_for_agents_aggregate_above_street_zoom_with_the_median_price(
    client, mutations, agent_token
):
    token = {"HTTP_AUTHORIZATION": f"Token {agent_token}"}
    aggregated = client.get(tile_url("dvf-mutations", *tile_at(*VIEUX_PORT, 13)), **token)
    [cluster] = decode(aggregated)["dvf-mutations"]["features"]
    assert cluster["properties"] == {"count": 3, "prix_m2_median": 4000.0}
    assert aggregated["X-Robots-Tag"] == "noindex, nofollow"
    assert aggregated["Cache-Control"].startswith("private")
    street = decode(client.get(tile_url("dvf-mutations", *tile_at(*VIEUX_PORT, 16)), **token))
    features = street["dvf-mutations"]["features"]
    assert sorted(f["properties"]["id_mutation"] for f in features) == ["2024-0", "2024-1", "2024-2"]
    assert {f["properties"]["valeur_fonciere"] for f in features} == {150_000.0, 240_000.0, 420_000.0}
    assert client.get(tile_url("dvf-mutations", *tile_at(*VIEUX_PORT, 16))).status_code == 401
    tilejson = client.get(f"/ogc/collections/dvf-mutations/tiles/{TMS}/tilejson.json", **token)
    assert tilejson["X-Robots-Tag"] == "noindex, nofollow"
    assert tilejson.json()["vector_layers"][0]["fields"]["prix_m2_median"] == "Number"


def test_gdal_builds_the_same_grid_from_our_tile_matrix_set_as_from_its_own(client, tmp_path):
    """GDAL's COG driver takes a tile matrix set file: ours must give the grid of its built-in one."""
    tms = tmp_path / "tms.json"
    tms.write_bytes(client.get(f"/ogc/tileMatrixSets/{TMS}").content)
    source = tmp_path / "source.tif"
    extent = ["-a_ullr", "500000", "5400000", "600000", "5300000"]
    gdal = {name: shutil.which(name) for name in ("gdal_create", "gdal_translate", "gdalinfo")}
    subprocess.run(
        [gdal["gdal_create"], "-of", "GTiff", "-outsize", "10", "10", "-a_srs", "EPSG:3857", *extent, source],
        check=True,
        capture_output=True,
    )

    def grid(scheme, name):
        target = tmp_path / name
        subprocess.run(
            [gdal["gdal_translate"], "-q", "-of", "COG", "-co", f"TILING_SCHEME={scheme}", source, target],
            check=True,
            capture_output=True,
        )
        output = subprocess.run([gdal["gdalinfo"], "-json", target], check=True, capture_output=True).stdout
        info = json.loads(output)
        return info["geoTransform"], info["size"]

    ours, theirs = grid(tms, "ours.tif"), grid("GoogleMapsCompatible", "theirs.tif")
    assert ours[1] == theirs[1] and ours[0] == pytest.approx(theirs[0], rel=1e-9)
