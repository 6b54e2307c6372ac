"""Pushes to CKAN and data.gouv.fr, replayed from hand-written cassettes (no portal is reachable here).

``record_mode="none"``: any request the cassette does not hold fails the test, so each cassette is
also the complete list of what the portal may receive.
"""

import io
import json
import logging
from datetime import date
from pathlib import Path

import pytest
import vcr
from django.core.management import CommandError, call_command

from gouvernance.enums import Frequence, Licence
from gouvernance.models import JeuDeDonnees
from observatoire.opendata.management.commands import pousser_opendata
from observatoire.opendata.models import Diffusion, DiffusionStatus
from observatoire.opendata.pushers import ckan as ckan_mapping
from observatoire.opendata.pushers import datagouv as datagouv_mapping
from observatoire.opendata.pushers import enabled, pending, push, schedule_push
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from observatoire.opendata.tasks import push_pending, push_publication
from observatoire.territoires.models import Commune

CASSETTES = Path(__file__).parent / "cassettes"
CKAN_PACKAGE = "3f1c2b8e-5d4a-4c1e-9a7b-2e6f0d8c4a11"
DATAGOUV_DATASET = "6650f1c2a3b4c5d6e7f80912"


def recorded_fields_sent(r1, r2):
    """The recorded body lists the fields that must be sent, with their values; more may be sent."""
    if r2.body is None:
        return
    sent, expected = json.loads(r1.body), json.loads(r2.body)
    assert {key: sent.get(key) for key in expected} == expected


def same_credentials(r1, r2):
    for header in ("Authorization", "X-API-KEY"):
        if header in r2.headers:
            assert r1.headers.get(header) == r2.headers[header]


replay = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="none",
    match_on=["method", "uri", "fields", "credentials"],
)
replay.register_matcher("fields", recorded_fields_sent)
replay.register_matcher("credentials", same_credentials)


@pytest.fixture
def jeu(territoire, settings):
    settings.SITE_URL = "https://observatoire.ampmetropole.fr"
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug="communes-metropole")
    jeu.titre, jeu.description = "Communes de la métropole", "Contours et population des 92 communes."
    jeu.mots_cles, jeu.frequence, jeu.licence = ["communes", "population"], Frequence.ANNUAL, Licence.LO2
    jeu.debut, jeu.fin = date(2021, 1, 1), date(2021, 12, 31)
    jeu.producteur = jeu.couverture_spatiale = "Métropole d'Aix-Marseille-Provence"
    jeu.contact = "opendata@ampmetropole.fr"
    jeu.save()
    publish(jeu)
    return jeu


@pytest.fixture
def ckan(settings):
    settings.OPENDATA_CKAN_URL = "https://ckan.example.org"
    settings.OPENDATA_CKAN_API_KEY = "cle-ckan-test"
    settings.OPENDATA_CKAN_ORGANIZATION = "metropole-aix-marseille-provence"


@pytest.fixture
def datagouv(settings):
    settings.OPENDATA_DATAGOUV_URL = "https://demo.data.gouv.fr/api/1"
    settings.OPENDATA_DATAGOUV_API_KEY = "cle-datagouv-test"
    settings.OPENDATA_DATAGOUV_ORGANIZATION = "5bbb6d6cff66bd4dc17bfd5a"


def new_version(jeu):
    Commune.objects.filter(insee="13001").update(population=150_000)
    assert publish(jeu).publication.version == 2


def test_off_by_default_no_request_and_nothing_scheduled(jeu):
    assert enabled() == []
    with replay.use_cassette("aucune_requete.yaml") as cassette:
        assert push_publication.apply(args=[jeu.pk, "ckan"]).get() == "désactivé"
        assert push_publication.apply(args=[jeu.pk, "datagouv"]).get() == "désactivé"
        assert push_pending.apply().get() == "désactivé"
        assert schedule_push(jeu.pk) == []
    assert len(cassette.requests) == 0
    assert not Diffusion.objects.exists()
    with pytest.raises(CommandError, match="désactivé"):
        call_command("pousser_opendata", "communes-metropole")


def test_a_key_without_url_or_url_without_key_stays_off(settings):
    settings.OPENDATA_CKAN_URL = "https://ckan.example.org"
    settings.OPENDATA_DATAGOUV_API_KEY = "cle"
    settings.OPENDATA_DATAGOUV_URL = ""
    assert enabled() == []


def test_ckan_creates_then_does_nothing_then_updates(jeu, ckan):
    with replay.use_cassette("ckan_creation.yaml") as cassette:
        assert push_publication.apply(args=[jeu.pk, "ckan"]).get() == "diffusé"
        assert push_publication.apply(args=[jeu.pk, "ckan"]).get() == "à jour"  # same version: no request
    assert cassette.all_played and cassette.play_count == 6
    diffusion = Diffusion.objects.get(jeu=jeu, portail="ckan")
    assert (diffusion.remote_id, diffusion.version, diffusion.status) == (
        CKAN_PACKAGE,
        1,
        DiffusionStatus.DIFFUSEE,
    )
    assert diffusion.remote_url == "https://ckan.example.org/dataset/communes-metropole"

    new_version(jeu)
    with replay.use_cassette("ckan_mise_a_jour.yaml") as cassette:
        assert push(jeu, "ckan") == "diffusé"
    assert cassette.all_played  # package_update kept the resources, which were updated in place
    assert Diffusion.objects.get(jeu=jeu, portail="ckan").version == 2


def test_datagouv_creates_remote_resources_then_updates(jeu, datagouv):
    with replay.use_cassette("datagouv_creation.yaml") as cassette:
        assert push(jeu, "datagouv") == "diffusé"
        assert push(jeu, "datagouv") == "à jour"
    assert cassette.all_played and cassette.play_count == 4
    diffusion = Diffusion.objects.get(jeu=jeu, portail="datagouv")
    assert diffusion.remote_id == DATAGOUV_DATASET
    assert diffusion.remote_url == "https://demo.data.gouv.fr/fr/datasets/communes-de-la-metropole/"

    new_version(jeu)
    with replay.use_cassette("datagouv_mise_a_jour.yaml") as cassette:
        assert push(jeu, "datagouv") == "diffusé"
    assert cassette.all_played
    assert Diffusion.objects.get(jeu=jeu, portail="datagouv").version == 2


def test_metadata_mapping_for_both_portals(jeu, settings):
    settings.OPENDATA_DATAGOUV_ZONES = ["fr:epci:200054807"]
    jeu.licence, jeu.frequence, jeu.fin = Licence.ODBL, Frequence.MONTHLY, None
    publication = jeu.latest
    csv = publication.ressources.get(format="csv")

    dataset = datagouv_mapping.dataset(jeu, publication)
    assert (dataset["license"], dataset["frequency"]) == ("odc-odbl", "monthly")
    assert dataset["temporal_coverage"] == {"start": "2021-01-01T00:00:00+00:00"}  # the end may stay open
    assert dataset["spatial"] == {"zones": ["fr:epci:200054807"]}
    remote = datagouv_mapping.resource(jeu, csv)
    assert remote["filesize"] == csv.taille and remote["checksum"] == {"type": "sha256", "value": csv.sha256}

    package = ckan_mapping.package(jeu, publication, "odc-odbl")
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert package["license_id"] == "odc-odbl" and "temporal_end" not in extras
    assert extras["temporal_start"] == "2021-01-01" and extras["frequency"].endswith("/MONTHLY")
    assert ckan_mapping.resource(jeu, publication, csv)["hash"] == f"sha256:{csv.sha256}"


@pytest.mark.parametrize(
    ("licence", "register", "expected"),
    [
        (Licence.ODBL, ["notspecified", "odc-odbl", "other-open"], "odc-odbl"),  # CKAN's default register
        (Licence.LO2, ["notspecified", "odc-odbl", "other-open"], "other-open"),  # no Licence Ouverte in it
        (Licence.LO2, ["fr-lo", "lov2", "odc-odbl", "other-open"], "lov2"),  # data.gouv.fr's register
        (Licence.LO2, ["licence-ouverte"], "licence-ouverte"),  # a register of its own: found by URL
        (Licence.LO2, ["cc-by"], ""),
    ],
)
def test_ckan_licence_is_one_of_the_portal_register(licence, register, expected):
    urls = {"licence-ouverte": "http://www.etalab.gouv.fr/licence-ouverte-open-licence"}
    entries = [{"id": id_, "url": urls.get(id_, "")} for id_ in register]
    assert ckan_mapping.licence_id(licence, entries) == expected


def test_a_dataset_no_longer_publishable_is_never_pushed(jeu, ckan, datagouv):
    jeu.publier, jeu.motif_non_publication = False, "Contours en cours de révision"
    jeu.save()
    with replay.use_cassette("aucune_requete.yaml") as cassette:
        assert push(jeu, "ckan") == "refusé"
        assert push_publication.apply(args=[jeu.pk, "datagouv"]).get() == "refusé"
    assert len(cassette.requests) == 0
    assert list(pending("ckan")) == []


def test_a_4xx_is_not_retried_and_leaves_a_failure(jeu, datagouv, caplog):
    with replay.use_cassette("datagouv_refus.yaml") as cassette, caplog.at_level(logging.ERROR):
        assert push_publication.apply(args=[jeu.pk, "datagouv"]).get() == "échec"
    assert cassette.play_count == 1
    diffusion = Diffusion.objects.get(jeu=jeu, portail="datagouv")
    assert diffusion.status == DiffusionStatus.ECHEC and "HTTP 401" in diffusion.message
    assert diffusion.version is None
    assert "Invalid API Key" in caplog.text
    assert [j.slug for j in pending("datagouv")] == ["communes-metropole"]  # the sweep tries again


def test_a_ckan_authorisation_error_is_a_failure_too(jeu, ckan):
    with replay.use_cassette("ckan_refus.yaml") as cassette:
        assert push(jeu, "ckan") == "échec"
    assert cassette.all_played
    assert "not authorized" in Diffusion.objects.get(jeu=jeu, portail="ckan").message


def test_a_5xx_is_retried_then_the_push_goes_through(jeu, ckan):
    with replay.use_cassette("ckan_reprise.yaml") as cassette:
        assert push_publication.apply(args=[jeu.pk, "ckan"]).get() == "diffusé"
    assert cassette.all_played and cassette.responses[0]["status"]["code"] == 502


def test_a_portal_down_for_good_ends_in_failure_after_bounded_retries(jeu, datagouv, caplog):
    with replay.use_cassette("datagouv_indisponible.yaml") as cassette, caplog.at_level(logging.ERROR):
        assert push_publication.apply(args=[jeu.pk, "datagouv"]).get() == "échec"
    assert cassette.play_count == 4  # first try + max_retries
    diffusion = Diffusion.objects.get(jeu=jeu, portail="datagouv")
    assert diffusion.status == DiffusionStatus.ECHEC and "HTTP 503" in diffusion.message
    assert "en échec" in caplog.text


def test_a_connection_error_is_retried_then_recorded(jeu, settings):
    settings.OPENDATA_DATAGOUV_URL = "http://127.0.0.1:9/api/1"  # nothing listens on the discard port
    settings.OPENDATA_DATAGOUV_API_KEY = "cle-datagouv-test"
    assert push_publication.apply(args=[jeu.pk, "datagouv"]).get() == "échec"
    assert "injoignable" in Diffusion.objects.get(jeu=jeu, portail="datagouv").message


def test_command_pushes_what_is_pending_then_nothing(jeu, datagouv, monkeypatch):
    monkeypatch.setattr(pousser_opendata, "BACKOFF", (0, 0, 0))
    with replay.use_cassette("datagouv_creation.yaml") as cassette:
        call_command("pousser_opendata", "--portail", "datagouv", stdout=(out := io.StringIO()))
        call_command("pousser_opendata", "--portail", "datagouv", "communes-metropole", stdout=out)
    assert cassette.all_played
    assert out.getvalue().splitlines() == [
        "communes-metropole → data.gouv.fr : diffusé",
        "communes-metropole → data.gouv.fr : à jour",
    ]
    with pytest.raises(CommandError, match="inconnu"):
        call_command("pousser_opendata", "--portail", "datagouv", "nexiste-pas")


def test_command_exits_in_error_when_the_portal_stays_down(jeu, datagouv, monkeypatch):
    monkeypatch.setattr(pousser_opendata, "BACKOFF", (0, 0, 0))
    with replay.use_cassette("datagouv_indisponible.yaml"), pytest.raises(CommandError, match="1 diffusion"):
        call_command("pousser_opendata", "communes-metropole", stderr=io.StringIO())


def test_a_new_version_schedules_the_push_after_commit(jeu, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as new_version_callbacks:
        Commune.objects.filter(insee="13001").update(population=150_000)
        publish(jeu)
    with django_capture_on_commit_callbacks() as unchanged_callbacks:
        publish(jeu)
    assert len(new_version_callbacks) == 1 and unchanged_callbacks == []
