"""Every public output gives a report's position as the open dataset does: rounded to ~10 m.

The open dataset, the API, the maps and Open311 publish the same report ids: one finer position
anywhere would undo the rounding everywhere. The reference is the open-data source's own query.
"""

import json
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from observatoire.opendata.sources import SOURCES
from signalements import grid, services
from signalements.clusters import cell_size
from signalements.positions import PUBLIC_GRID_DEGREES, public_coordinate

# Off the public grid on purpose, so that an unrounded output cannot pass.
OFF_GRID = {"lon": 5.374163, "lat": 43.295137}
BBOX = "5.36,43.28,5.39,43.31"


@pytest.fixture
def report(marseille_setup, categories):
    return services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Sacs éventrés.",
        email="habitante@exemple.fr",
        **OFF_GRID,
    )


def open_data_position(pk):
    """(lon, lat) of a report in the published open dataset (CSV columns)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT longitude, latitude FROM ({SOURCES['signalements-anonymises'].attributes_sql}) o "  # noqa: S608
            "WHERE identifiant = %s",
            [pk],
        )
        lon, lat = cursor.fetchone()
    return float(lon), float(lat)


def test_the_reference_is_rounded_to_the_public_grid(report):
    lon, lat = open_data_position(report.pk)
    assert (lon, lat) == (5.3742, 43.2951)
    assert (public_coordinate(OFF_GRID["lon"]), public_coordinate(OFF_GRID["lat"])) == (lon, lat)
    assert PUBLIC_GRID_DEGREES == 0.0001


def test_public_api_gives_the_open_data_position(client, report, categories):
    expected = open_data_position(report.pk)
    listed = json.loads(client.get("/api/v1/signalements/").content)["results"]
    assert [(r["lon"], r["lat"]) for r in listed if r["id"] == report.pk] == [expected]
    detail = json.loads(client.get(f"/api/v1/signalements/{report.pk}/").content)
    assert (detail["lon"], detail["lat"]) == expected
    nearby = json.loads(
        client.get(
            "/api/v1/signalements/proches/",
            {"categorie": "proprete", "lon": OFF_GRID["lon"], "lat": OFF_GRID["lat"]},
        ).content
    )
    assert [(r["lon"], r["lat"]) for r in nearby] == [expected]


def test_the_answer_to_a_filing_gives_the_open_data_position(client, marseille_setup):
    response = client.post(
        "/api/v1/signalements/", {"categorie": "proprete", "description": "Sacs éventrés.", **OFF_GRID}
    )
    assert response.status_code == 201, response.content
    created = json.loads(response.content)
    assert (created["lon"], created["lat"]) == open_data_position(created["id"])


def map_points(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [tuple(f["geometry"]["coordinates"]) for f in json.loads(response.content)["features"]]


@pytest.mark.parametrize("zoom", [18, 14, 10])
def test_cluster_map_gives_the_open_data_position(client, report, zoom):
    # At zoom 18 the points themselves; at 14 and 10 the centre of a cell holding only this report.
    assert map_points(client, "/api/v1/signalements/clusters.geojson", bbox=BBOX, zoom=zoom) == [
        open_data_position(report.pk)
    ]


def test_cluster_map_from_the_pre_aggregated_grid_gives_the_open_data_position(client, report):
    grid.rebuild(cell_size)
    assert map_points(client, "/api/v1/signalements/clusters.geojson", bbox=BBOX, zoom=10) == [
        open_data_position(report.pk)
    ]


def test_public_map_download_gives_the_open_data_position(client, report):
    assert map_points(client, "/signalements/carte/signalements.geojson") == [open_data_position(report.pk)]


def test_open311_gives_the_open_data_position(client, report):
    lon, lat = open_data_position(report.pk)
    for url in ("/open311/v2/requests.json", f"/open311/v2/requests/{report.pk}.json"):
        [item] = json.loads(client.get(url).content)
        assert (item["long"], item["lat"]) == (lon, lat)
    root = ET.fromstring(client.get("/open311/v2/requests.xml").content)  # noqa: S314 - our own output
    assert (float(root.findtext("request/long")), float(root.findtext("request/lat"))) == (lon, lat)
