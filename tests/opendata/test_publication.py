"""Publication of datasets: versions, idempotence, sensitivity guard, storage failure, anonymisation."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.files.storage import default_storage

from gouvernance.enums import Sensibilite
from gouvernance.models import JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.opendata.models import Issue, JournalPublication, Publication
from observatoire.opendata.services import NotPublishable, publish
from observatoire.opendata.sources import SOURCES, sync_catalogue
from observatoire.opendata.tasks import publish_all, publish_dataset
from observatoire.territoires.geometry import to_storage
from observatoire.territoires.models import Commune
from signalements.demo import load_categories
from signalements.models import Categorie, Signalement
from tests.factories import UserFactory


@pytest.fixture
def catalogue(territoire):
    sync_catalogue()
    return {jeu.slug: jeu for jeu in JeuDeDonnees.objects.all()}


def read(ressource):
    with default_storage.open(ressource.fichier, "rb") as handle:
        return handle.read()


def test_declared_datasets_are_registered_once_and_edits_are_kept(catalogue):
    assert {"communes-metropole", "signalements-espace-public", "signalements-complets"} <= set(catalogue)
    JeuDeDonnees.objects.filter(slug="communes-metropole").update(titre="Titre revu par l'AGD")
    assert sync_catalogue() == 0
    assert JeuDeDonnees.objects.get(slug="communes-metropole").titre == "Titre revu par l'AGD"


def test_publication_writes_csv_geojson_and_geoparquet_from_one_snapshot(catalogue):
    entry = publish(catalogue["communes-metropole"])
    assert entry.issue == Issue.PUBLIEE
    publication = entry.publication
    assert (publication.version, publication.lignes) == (1, 92)
    files = {r.format: r for r in publication.ressources.all()}
    assert set(files) == {"csv", "geojson", "parquet"}

    rows = list(csv.DictReader(io.StringIO(read(files["csv"]).decode("utf-8"))))
    assert len(rows) == 92
    aix = next(r for r in rows if r["insee"] == "13001")
    assert aix["nom"] == "Aix-en-Provence" and aix["geometrie"].startswith("MULTIPOLYGON(((5.")  # WKT

    geojson = json.loads(read(files["geojson"]))
    assert len(geojson["features"]) == 92
    feature = next(f for f in geojson["features"] if f["properties"]["insee"] == "13001")
    assert feature["geometry"]["type"] == "MultiPolygon" and "geom" not in feature["properties"]
    assert 5.2 < feature["geometry"]["coordinates"][0][0][0][0] < 5.7  # longitude: EPSG:4326

    table = pq.read_table(io.BytesIO(read(files["parquet"])))
    assert table.num_rows == 92 and "geometry" in table.column_names
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["geometry_types"] == ["MultiPolygon"]
    assert files["csv"].taille == len(read(files["csv"])) and len(files["csv"].sha256) == 64


def test_geojson_keeps_quotes_backslashes_commas_and_control_characters_of_the_data(catalogue):
    # The Features come out of COPY: no quoting, escaping or separator of it may reach the JSON.
    tricky = 'Aix "centre", C:\\dossier\\, ligne\nsuivante\ttab \x01 é; fin'
    Commune.objects.filter(insee="13001").update(nom=tricky)
    files = {r.format: r for r in publish(catalogue["communes-metropole"]).publication.ressources.all()}
    geojson = json.loads(read(files["geojson"]))
    names = {f["properties"]["insee"]: f["properties"]["nom"] for f in geojson["features"]}
    assert names["13001"] == tricky and len(names) == 92


def test_unchanged_data_makes_no_new_version_and_a_change_does(catalogue):
    jeu = catalogue["communes-metropole"]
    publish(jeu)
    assert publish(jeu).issue == Issue.INCHANGEE
    assert Publication.objects.filter(jeu=jeu).count() == 1
    Commune.objects.filter(insee="13001").update(population=150_000)
    assert publish(jeu).publication.version == 2
    assert publish_dataset.apply(args=[jeu.pk]).get() == Issue.INCHANGEE


@pytest.mark.parametrize("slug", ["signalements-complets", "opted-out"])
def test_a_non_public_or_opted_out_dataset_is_never_exported(catalogue, slug):
    if slug == "opted-out":
        jeu = catalogue["communes-metropole"]
        jeu.publier, jeu.motif_non_publication = False, "Contours en cours de révision"
        jeu.save()
    else:
        jeu = catalogue[slug]
        jeu.source_technique = "signalements-anonymises"  # even with a source, personal data stays home
        jeu.save()
    with pytest.raises(NotPublishable, match="Publication refusée"):
        publish(jeu)
    assert publish_dataset.apply(args=[jeu.pk]).get() == Issue.REFUSEE
    assert not Publication.objects.filter(jeu=jeu).exists()
    assert JournalPublication.objects.filter(jeu=jeu, issue=Issue.REFUSEE).count() == 2
    assert not default_storage.exists(f"opendata/{jeu.slug}")


def test_restricted_sensitivity_is_refused_too(catalogue):
    jeu = catalogue["communes-metropole"]
    jeu.sensibilite, jeu.motif_sensibilite = Sensibilite.RESTREINT, "Convention"
    jeu.save()
    with pytest.raises(NotPublishable, match="Restreint"):
        publish(jeu)


def test_storage_failure_keeps_the_previous_version_online_and_alerts_the_agd(catalogue, monkeypatch):
    agd = UserFactory(role=Role.AGD)
    jeu = catalogue["communes-metropole"]
    first = publish(jeu).publication
    Commune.objects.filter(insee="13001").update(population=150_000)

    storage = default_storage._wrapped  # the configured storage behind the lazy proxy
    real_save, calls = storage.save, []

    def failing_save(name, content, **kwargs):  # the storage (S3 in production) fails midway
        calls.append(name)
        if len(calls) == 2:
            raise OSError("stockage indisponible")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", failing_save)
    with pytest.raises(OSError):
        publish(jeu)
    assert not default_storage.exists(calls[0])  # the half-written version was removed
    assert jeu.publications.count() == 1
    assert all(default_storage.exists(r.fichier) for r in first.ressources.all())

    calls.clear()
    assert publish_dataset.apply(args=[jeu.pk], retries=3).get() == Issue.ECHEC
    assert JournalPublication.objects.filter(jeu=jeu, issue=Issue.ECHEC).exists()
    assert mail.outbox[-1].to == [agd.email] and "version précédente reste en ligne" in mail.outbox[-1].body

    monkeypatch.undo()
    assert publish(jeu).publication.version == 2


def test_published_reports_hold_no_personal_data_nor_free_text(catalogue, marseille):
    load_categories()
    categorie = Categorie.objects.filter(parent__isnull=True).first()
    point = to_storage(Point(5.37412345, 43.29512345, srid=4326))
    Signalement.objects.create(
        commune=marseille, categorie=categorie, geom=point, adresse="12 rue Secrète",
        description="Mon voisin Jean Dupont jette ses ordures", reporter_email="jean.dupont@exemple.fr",
        reporter_ip="10.1.2.3",
    )  # fmt: skip
    Signalement.objects.create(
        commune=marseille, categorie=categorie, geom=point, description="Insulte", status="rejete"
    )
    publication = publish(catalogue["signalements-espace-public"]).publication
    assert publication.lignes == 1
    for ressource in publication.ressources.all():
        content = read(ressource)
        for secret in (b"Dupont", b"dupont@", b"Secr", b"10.1.2.3", b"ordures", b"Insulte"):
            assert secret not in content, (ressource.format, secret)
    rows = list(csv.DictReader(io.StringIO(read(publication.ressources.get(format="csv")).decode())))
    assert rows[0]["commune_insee"] == "13055" and float(rows[0]["longitude"]) == 5.3741  # ~10 m


def test_nightly_task_queues_every_publishable_dataset(catalogue):
    assert (
        publish_all.apply().get() == JeuDeDonnees.objects.publishable().exclude(source_technique="").count()
    )


def test_opendata_is_published_every_night():
    from observatoire.celery import app

    assert app.conf.beat_schedule["opendata-nightly-publication"]["task"] == "opendata.publish_all"
    assert "opendata.publish_dataset" in app.tasks


def test_every_declared_dataset_with_a_source_exports(catalogue):
    """Each app's SQL runs against the current schema (a renamed column would fail here, not at night)."""
    for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique=""):
        assert publish(jeu).issue == Issue.PUBLIEE, jeu.slug
    declared = JeuDeDonnees.objects.exclude(source_technique="")
    assert set(declared.values_list("source_technique", flat=True)) <= set(SOURCES)
