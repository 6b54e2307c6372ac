"""CKAN's DCAT parser (ckanext-dcat, DCAT-AP 2 and 3 profiles) reads our live catalogue.

The catalogue is served by the live test server with three datasets a page, so the parser has to
follow the Hydra links; the parser runs in CKAN's own virtualenv (tests/opendata/ckan_side.py)
and returns the dataset dicts a CKAN harvest would store. What a CKAN shows of the licence
depends on its licence register: CKAN's default one (no Licence Ouverte in it), or data.gouv.fr's
list, which French CKAN portals load through `licenses_group_url`.
"""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from gouvernance.enums import Licence
from gouvernance.models import JeuDeDonnees
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.opendata import dcat
from observatoire.opendata.coverage import published_period
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from observatoire.territoires.models import Commune
from tests.conftest import load_reference_data

from .ckan_venv import CONTRACTS, needs_ckan, run

pytestmark = needs_ckan

PROFILES = ["euro_dcat_ap_2", "euro_dcat_ap_3"]
EXTENSIONS = ["ttl", "rdf", "jsonld"]
HARVESTS = [(profile, extension) for profile in PROFILES for extension in EXTENSIONS]
PAGE_SIZE = 3
ODBL_SLUG = "arrets-transport-en-commun"  # one dataset under ODbL, the others under the Licence Ouverte
DATAGOUV_LICENCES = CONTRACTS / "datagouv-licences.json"
# What CKAN calls our licences: in its default register (ckan/model/license.py), where only ODbL
# is, and in data.gouv.fr's register.
CKAN_DEFAULT_LICENCE = {Licence.ODBL: "odc-odbl", Licence.LO2: ""}
DATAGOUV_LICENCE = {Licence.ODBL: "odc-odbl", Licence.LO2: "lov2"}
# CKAN's resource format list (ckan/config/resource_formats.json) names these two; not Parquet.
CKAN_FORMAT = {"csv": ("CSV", "text/csv"), "geojson": ("GeoJSON", "application/geo+json")}
# A URI of the official geographic reference ending with the COG code (EPCI SIREN or commune INSEE).
COG_URI = re.compile(r"^https?://\S+/(\d{9}|\d{5}|2[AB]\d{3})/?$")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


def _expected(base):
    """What the catalogue knows of each published dataset, keyed by the dataset's URI."""
    expected = {}
    for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique="").order_by("slug"):
        resources = {}
        for ressource in jeu.latest.ressources.all():
            url = base + reverse(
                "opendata:telecharger", kwargs={"slug": jeu.slug, "format": ressource.format}
            )
            resources[url] = {
                "format": ressource.format,
                "media_type": ressource.media_type,
                "size": ressource.taille,
                "sha256": ressource.sha256,
            }
        expected[base + jeu.get_absolute_url()] = {
            "slug": jeu.slug,
            "title": jeu.titre,
            "notes": jeu.description,
            "tags": sorted(jeu.mots_cles),
            "licence": jeu.licence,
            "frequency": EU_FREQUENCY + jeu.frequence,
            "spatial_text": jeu.couverture_spatiale,
            "publisher": jeu.producteur,
            "period": [day and day.isoformat() for day in published_period(jeu.latest)],
            "resources": resources,
        }
    return expected


def _values_over_years():
    """Indicator values of 2019 and 2022: the indicators dataset then covers 2019-01-01 to 2022-12-31."""
    indicateur = Indicateur.objects.create(
        code="interop-ckan", libelle="Essai", unite="%", definition="Essai", source="Essai"
    )
    aix = Commune.objects.get(insee="13001")
    for millesime in (2019, 2022):
        Valeur.objects.create(indicateur=indicateur, commune=aix, millesime=millesime, valeur=1.5)


@pytest.fixture(scope="module")
def catalogue(request, django_db_blocker, tmp_path_factory):
    """Publish every dataset once, harvest it with each profile and format, then leave the DB as found.

    The live server reads committed rows, so the rows are committed here (not in a test's
    transaction); at the end of the module the database is flushed and the reference data
    reloaded, as after pytest-django's transactional tests (the live server makes the first test
    of the module one of them).
    """
    live_server = request.getfixturevalue("live_server")
    media = tmp_path_factory.mktemp("media")
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(SITE_URL=live_server.url, MEDIA_ROOT=media),
            pytest.MonkeyPatch.context() as patch,
        ):
            patch.setattr(dcat, "PAGE_SIZE", PAGE_SIZE)
            live_server._live_server_modified_settings.enable()
            try:
                load_reference_data()
                _values_over_years()
                sync_catalogue()
                JeuDeDonnees.objects.filter(slug=ODBL_SLUG).update(licence=Licence.ODBL)
                for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique=""):
                    publish(jeu)
                expected = _expected(live_server.url)
                harvests = {
                    (profile, extension): run("harvest", _catalogue_url(live_server, extension), profile)
                    for profile, extension in HARVESTS
                }
                french_ckan = ("--licences", DATAGOUV_LICENCES)
                harvests["datagouv-licences"] = run(
                    "harvest", _catalogue_url(live_server, "ttl"), PROFILES[-1], *french_ckan
                )
            finally:
                live_server._live_server_modified_settings.disable()
        yield expected, harvests
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data(refresh=True)


def _catalogue_url(live_server, extension):
    return live_server.url + reverse("opendata:dcat", args=[extension])


def _by_uri(harvest):
    return {_extras(dataset)["uri"]: dataset for dataset in harvest["datasets"]}


def _extras(dataset):
    return {extra["key"]: extra["value"] for extra in dataset["extras"]}


def _licences(expected, harvest):
    """(our licence, the licence id CKAN gives a dataset under it) for every dataset."""
    return {(expected[uri]["licence"], dataset["license_id"]) for uri, dataset in _by_uri(harvest).items()}


def _resources(dataset):
    return {resource["url"]: resource for resource in dataset["resources"]}


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_every_page_and_every_dataset_is_read(catalogue, profile, extension):
    expected, harvests = catalogue
    harvest = harvests[profile, extension]
    assert len(harvest["pages"]) == -(-len(expected) // PAGE_SIZE) > 1
    assert harvest["pages"][1].endswith(f"catalog.{extension}?page=2")
    assert sorted(_by_uri(harvest)) == sorted(expected) and len(harvest["datasets"]) == len(expected)


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_title_description_tags_frequency_and_publisher_are_kept(catalogue, profile, extension):
    expected, harvests = catalogue
    for uri, dataset in _by_uri(harvests[profile, extension]).items():
        want, extras = expected[uri], _extras(dataset)
        assert (dataset["title"], dataset["notes"]) == (want["title"], want["notes"])
        assert sorted(tag["name"] for tag in dataset["tags"]) == want["tags"]
        assert extras["frequency"] == want["frequency"]
        # The dataset's producer, or the catalogue's publisher when the producer is named elsewhere.
        assert extras["publisher_name"] in {want["publisher"], settings.OPENDATA_PUBLISHER}
        assert extras["spatial_text"] == want["spatial_text"]


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_every_file_is_kept_with_its_url_size_and_checksum(catalogue, profile, extension):
    expected, harvests = catalogue
    for uri, dataset in _by_uri(harvests[profile, extension]).items():
        resources, want = _resources(dataset), expected[uri]["resources"]
        assert sorted(resources) == sorted(want)
        for url, resource in resources.items():
            assert resource["size"] == want[url]["size"]
            assert resource["hash"] == want[url]["sha256"]
            # The SPDX individual's URI, or its label (« SHA-256 ») when the graph gives one.
            assert re.sub(r"[^a-z0-9]", "", resource["hash_algorithm"].lower()).endswith("sha256")


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_formats_and_media_types_read_as_ckan_names_them(catalogue, profile, extension):
    expected, harvests = catalogue
    for uri, dataset in _by_uri(harvests[profile, extension]).items():
        want = expected[uri]["resources"]
        for url, resource in _resources(dataset).items():
            assert resource["mimetype"] == want[url]["media_type"]
            if want[url]["format"] in CKAN_FORMAT:
                assert (resource["format"], resource["mimetype"]) == CKAN_FORMAT[want[url]["format"]]


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_each_file_keeps_its_licence(catalogue, profile, extension):
    expected, harvests = catalogue
    for uri, dataset in _by_uri(harvests[profile, extension]).items():
        for resource in dataset["resources"]:
            assert resource["license"], f"{expected[uri]['slug']} : licence perdue sur {resource['url']}"


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_a_default_ckan_recognises_the_odbl(catalogue, profile, extension):
    expected, harvests = catalogue
    assert _licences(expected, harvests[profile, extension]) == set(CKAN_DEFAULT_LICENCE.items())


def test_a_ckan_with_the_datagouv_licence_register_recognises_both_licences(catalogue):
    expected, harvests = catalogue
    assert _licences(expected, harvests["datagouv-licences"]) == set(DATAGOUV_LICENCE.items())


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_spatial_coverage_has_the_official_uri_and_a_geometry(catalogue, profile, extension):
    _, harvests = catalogue
    for dataset in harvests[profile, extension]["datasets"]:
        extras = _extras(dataset)
        assert COG_URI.match(extras["spatial_uri"])
        geometry = json.loads(extras.get("spatial") or extras["spatial_bbox"])
        assert geometry["type"] in {"Polygon", "MultiPolygon"} and geometry["coordinates"]


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_temporal_coverage_is_the_period_of_the_data(catalogue, profile, extension):
    expected, harvests = catalogue
    periods = {uri: expected[uri]["period"] for uri in expected}
    assert periods[next(uri for uri in expected if "/indicateurs-observatoires/" in uri)] == [
        "2019-01-01",
        "2022-12-31",
    ]
    for uri, dataset in _by_uri(harvests[profile, extension]).items():
        extras = _extras(dataset)
        kept = [extras.get("temporal_start", "")[:10] or None, extras.get("temporal_end", "")[:10] or None]
        assert kept == periods[uri], expected[uri]["slug"]


@pytest.mark.parametrize(("profile", "extension"), HARVESTS)
def test_contact_email_is_kept(catalogue, profile, extension):
    _, harvests = catalogue
    for dataset in harvests[profile, extension]["datasets"]:
        assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", _extras(dataset)["contact_email"])
