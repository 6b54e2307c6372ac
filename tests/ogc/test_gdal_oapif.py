"""The portal as QGIS sees it: GDAL's OGC API – Features driver (the one QGIS uses) and ogr2ogr.

The live server reads committed rows, so the module's fixture commits them, runs every GDAL command
once, and leaves the database as found (flushed, reference data reloaded), as the CKAN interop test
does: a test using the live server would otherwise flush the rows after the first test.
"""

import shutil
import subprocess

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from foncier.models import Gisement, ZonePlu
from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from observatoire.territoires.models import Commune, Zone
from tests.conftest import load_reference_data
from tests.factories import UserFactory
from tests.foncier.test_gisements import gisements_rows, write_layer
from tests.foncier.test_zones_plu import zones_rows

OGRINFO = shutil.which("ogrinfo")
OGR2OGR = shutil.which("ogr2ogr")
pytestmark = pytest.mark.skipif(OGRINFO is None, reason="GDAL absent")
AROUND_AIX_CENTRE = ("-spat", "5.44", "43.52", "5.46", "43.53")


def gdal(*args, token=None):
    command = [*args]
    if token:
        command[1:1] = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Token {token}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def _runs(url, token, folder):
    service = f"OAPIF:{url}/ogc/"
    gpkg = folder / "plui.gpkg"
    runs = {
        "list": gdal(OGRINFO, "-ro", "-so", service),
        "communes-summary": gdal(OGRINFO, "-ro", "-so", "-oo", "PAGE_SIZE=25", service, "communes"),
        "communes": gdal(OGRINFO, "-ro", "-al", "-oo", "PAGE_SIZE=25", service, "communes"),
        "bbox": gdal(OGRINFO, "-ro", "-al", *AROUND_AIX_CENTRE, service, "communes"),
        "arrondissements": gdal(OGRINFO, "-ro", "-al", service, "arrondissements"),
        "copy": gdal(OGR2OGR, "-f", "GPKG", "-t_srs", "EPSG:2154", str(gpkg), service, "zones-plui"),
        "gisements-refused": gdal(OGRINFO, "-ro", "-so", service, "gisements"),
        "gisements-direct": gdal(OGRINFO, "-ro", "-so", f"OAPIF:{url}/ogc/collections/gisements"),
        "gisements": gdal(OGRINFO, "-ro", "-al", service, "gisements", token=token),
    }
    runs["copy-info"] = gdal(OGRINFO, "-ro", "-so", str(gpkg), "zones-plui")
    return runs


@pytest.fixture(scope="module")
def qgis_view(request, django_db_blocker, tmp_path_factory):
    live_server = request.getfixturevalue("live_server")
    folder = tmp_path_factory.mktemp("couches")
    try:
        with django_db_blocker.unblock():
            load_reference_data()
            call_command("import_gisements", str(write_layer(folder, gisements_rows())), verbosity=0)
            call_command("import_zones_plu", str(write_layer(folder, zones_rows(), "plui.gpkg")), verbosity=0)
            token = Token.objects.create(user=UserFactory(role=Role.AGENT_METROPOLITAIN)).key
            runs = _runs(live_server.url, token, folder)
            expected = {
                "communes": Commune.objects.count(),
                "arrondissements": Zone.objects.filter(type="ARM").count(),
                "zones-plui": ZonePlu.objects.count(),
                "gisements": Gisement.objects.count(),
                "audited": list(
                    Telechargement.objects.filter(jeu__slug="gisements-fonciers").values_list(
                        "autorise", "canal"
                    )
                ),
            }
        yield runs, expected
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data(refresh=True)


def ok(run):
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_gdal_lists_every_public_collection(qgis_view):
    runs, _ = qgis_view
    lines = ok(runs["list"]).splitlines()
    listed = {line.split(":", 1)[1].split("(")[0].strip() for line in lines if line[:1].isdigit()}
    assert {"communes", "arrondissements", "qpv", "zones-plui", "arrets", "lignes", "signalements"} <= listed
    assert "consommation-espaces" in listed and "gisements" not in listed and "dvf-mutations" not in listed


def test_gdal_reads_every_commune_across_pages_with_the_count_and_crs(qgis_view):
    runs, expected = qgis_view
    summary = ok(runs["communes-summary"])
    assert f"Feature Count: {expected['communes']}" in summary
    assert 'GEOGCRS["WGS 84"' in summary and "Extent: (4.7" in summary
    listing = ok(runs["communes"])
    assert listing.count("OGRFeature(communes)") == expected["communes"] > 90
    assert "insee (String) = 13001" in listing and "population (Integer) = " in listing
    assert "MULTIPOLYGON (((5." in listing


def test_gdal_applies_a_bbox(qgis_view):
    runs, _ = qgis_view
    listing = ok(runs["bbox"])
    assert listing.count("OGRFeature(communes)") == 1 and "insee (String) = 13001" in listing


def test_ogr2ogr_copies_a_collection_to_a_geopackage_in_lambert93(qgis_view):
    runs, expected = qgis_view
    ok(runs["copy"])
    info = ok(runs["copy-info"])
    assert f"Feature Count: {expected['zones-plui']}" in info and "Lambert-93" in info
    assert "typezone: String" in info and "surface_m2: " in info


def test_a_restricted_collection_is_refused_without_token_and_read_with_one(qgis_view):
    runs, expected = qgis_view
    assert runs["gisements-refused"].returncode != 0  # not listed to an anonymous client
    assert "Couldn't fetch requested layer gisements" in runs["gisements-refused"].stdout
    assert runs["gisements-direct"].returncode != 0 and "401" in runs["gisements-direct"].stderr
    listing = ok(runs["gisements"])
    assert listing.count("OGRFeature(gisements)") == expected["gisements"] > 0
    assert (True, "api") in expected["audited"]


def test_arrondissements_carry_their_codes(qgis_view):
    runs, expected = qgis_view
    listing = ok(runs["arrondissements"])
    assert listing.count("OGRFeature(arrondissements)") == expected["arrondissements"] == 16
    assert "code (String) = 13201" in listing
