import json

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from signalements.clusters import STATUS_GROUPS, cell_size, clusters
from signalements.enums import Status
from signalements.grid import rebuild
from signalements.models import CelluleCarte, Signalement

METROPOLE = (4.7, 43.15, 5.85, 43.75)


@pytest.fixture
def spread(marseille_setup, categories, aix):
    """Reports over Marseille and Aix with several statuses, created directly."""
    points = [(5.37 + i * 0.01, 43.29 + (i % 3) * 0.01) for i in range(12)] + [(5.44, 43.52), (5.45, 43.53)]
    for i, (lon, lat) in enumerate(points):
        geom = Point(lon, lat, srid=4326)
        geom.transform(2154)
        Signalement.objects.create(
            commune=aix if lat > 43.5 else marseille_setup,
            categorie=categories["proprete"] if i % 2 else categories["voirie"],
            geom=geom,
            description="x",
            status=[Status.NOUVEAU, Status.RESOLU, Status.CLOS][i % 3],
        )


def total(payload):
    return sum(f["properties"]["count"] for f in json.loads(payload)["features"])


@pytest.mark.parametrize("zoom", [8, 10, 12])
@pytest.mark.parametrize("status", ["ouverts", "resolus", "tous"])
def test_grid_and_live_queries_agree(spread, zoom, status):
    live = clusters(METROPOLE, zoom, status)
    cache.clear()
    rebuild(cell_size)
    from_grid = clusters(METROPOLE, zoom, status)
    assert total(from_grid) == total(live)
    assert len(json.loads(from_grid)["features"]) == len(json.loads(live)["features"])


def test_grid_filters_by_category_and_commune(spread):
    rebuild(cell_size)
    assert total(clusters(METROPOLE, 10, "tous", categorie="proprete")) == 7
    assert total(clusters(METROPOLE, 10, "tous", commune="13001")) == 2
    assert total(clusters((5.0, 43.6, 5.1, 43.7), 10, "tous")) == 0


def test_levels_nest_and_rebuild_is_repeatable(spread):
    first = rebuild(cell_size)
    second = rebuild(cell_size)
    assert first["cells"] == second["cells"] == CelluleCarte.objects.count()
    for zoom in range(8, 13):
        assert sum(CelluleCarte.objects.filter(zoom=zoom).values_list("n", flat=True)) == 14
    assert set(STATUS_GROUPS["ouverts"]) >= {Status.NOUVEAU.value}
