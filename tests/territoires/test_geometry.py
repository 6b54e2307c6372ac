from django.contrib.gis.geos import GEOSGeometry

from observatoire.territoires.geometry import as_storage_multipolygon


def test_polygon_becomes_a_lambert93_multipolygon():
    geom = as_storage_multipolygon(
        GEOSGeometry("SRID=4326;POLYGON((5.37 43.29, 5.38 43.29, 5.38 43.30, 5.37 43.29))")
    )
    assert geom.geom_type == "MultiPolygon"
    assert geom.srid == 2154
    assert 890_000 < geom.centroid.x < 900_000  # Lambert-93 metres, Marseille


def test_self_intersecting_polygon_is_repaired_and_stays_polygonal():
    bowtie = GEOSGeometry("SRID=4326;POLYGON((5.37 43.29, 5.38 43.30, 5.38 43.29, 5.37 43.30, 5.37 43.29))")
    assert not bowtie.valid
    geom = as_storage_multipolygon(bowtie)
    assert geom.valid
    assert geom.geom_type == "MultiPolygon"
    assert len(geom) == 2


def test_input_geometry_is_left_untouched():
    source = GEOSGeometry("SRID=4326;POLYGON((5.37 43.29, 5.38 43.29, 5.38 43.30, 5.37 43.29))")
    as_storage_multipolygon(source)
    assert source.srid == 4326
