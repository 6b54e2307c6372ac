"""Publication, rule by rule: one snapshot for every file, leftovers replaced, date, duration, progress."""

import csv
import io
import json
import threading

import pyarrow.parquet as pq
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from gouvernance.models import JeuDeDonnees
from observatoire.opendata import services
from observatoire.opendata.models import Issue, JournalPublication
from observatoire.opendata.services import NotPublishable, progress_key, publish
from observatoire.opendata.sources import sync_catalogue
from observatoire.territoires.models import Commune


@pytest.fixture
def catalogue(territoire):
    sync_catalogue()
    return {jeu.slug: jeu for jeu in JeuDeDonnees.objects.all()}


def csv_rows(publication):
    with default_storage.open(publication.ressources.get(format="csv").fichier, "rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode())))


def in_another_connection(work):
    """Run ``work`` on a connection of its own, committed at once (another worker, another request)."""

    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.mark.django_db(transaction=True)
def test_every_file_comes_from_the_snapshot_taken_when_the_export_began(territoire, monkeypatch):
    """Outside a test's transaction, a change committed during the export is in none of the files."""
    assert not connection.in_atomic_block  # really the production path
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug="communes-metropole")
    real_step = services._step

    def step_renaming_aix_meanwhile(jeu, label):
        if label.startswith("Export"):  # the formats are written in parallel, each on its own connection
            in_another_connection(lambda: Commune.objects.filter(insee="13001").update(nom="Aix renommée"))
        real_step(jeu, label)

    monkeypatch.setattr(services, "_step", step_renaming_aix_meanwhile)
    publication = publish(jeu).publication
    rows = csv_rows(publication)
    assert publication.lignes == len(rows) == 92
    assert next(r["nom"] for r in rows if r["insee"] == "13001") == "Aix-en-Provence"
    files = {r.format: r.fichier for r in publication.ressources.all()}
    with default_storage.open(files["geojson"], "rb") as handle:
        features = json.load(handle)["features"]
    assert (
        next(f["properties"]["nom"] for f in features if f["properties"]["insee"] == "13001")
        == "Aix-en-Provence"
    )
    with default_storage.open(files["parquet"], "rb") as handle:
        table = pq.read_table(io.BytesIO(handle.read())).to_pylist()
    assert len(features) == len(table) == 92
    assert next(r["nom"] for r in table if r["insee"] == "13001") == "Aix-en-Provence"
    assert Commune.objects.get(insee="13001").nom == "Aix renommée"
    assert snapshot_tables() == []  # committed for the formats' connections, dropped after


def test_a_file_left_by_a_failed_attempt_is_replaced_not_renamed(catalogue):
    jeu = catalogue["communes-metropole"]
    leftover = f"opendata/{jeu.slug}/v1/{jeu.slug}.csv"
    default_storage.save(leftover, ContentFile(b"fichier tronque"))
    publication = publish(jeu).publication
    ressource = publication.ressources.get(format="csv")
    assert ressource.fichier == leftover
    assert len(csv_rows(publication)) == 92


def test_the_publication_records_its_date_its_duration_and_its_progress(catalogue):
    jeu = catalogue["communes-metropole"]
    before = timezone.now()
    entry = publish(jeu)
    jeu.refresh_from_db()
    assert before <= jeu.derniere_mise_a_jour <= timezone.now()
    assert 0 < entry.publication.duree < 60
    assert entry.message == "v1 : 92 lignes."
    assert cache.get(progress_key(jeu.pk))["etape"] == "Terminé"

    published_at = jeu.derniere_mise_a_jour
    unchanged = publish(jeu)
    jeu.refresh_from_db()
    assert unchanged.message == "92 lignes identiques à la v1."
    assert jeu.derniere_mise_a_jour == published_at  # nothing new was published
    assert cache.get(progress_key(jeu.pk))["etape"] == "Inchangé"


def test_a_dataset_without_geometry_is_published_without_geojson(catalogue):
    publication = publish(catalogue["indicateurs-observatoires"]).publication
    assert set(publication.ressources.values_list("format", flat=True)) == {"csv", "parquet"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"publier": False, "motif_non_publication": "Contours en révision"}, "exclu de l'open data"),
        ({"source_technique": "inconnue"}, "aucune source de données déclarée"),
    ],
)
def test_refusals_say_why_and_are_journaled(catalogue, change, message):
    jeu = catalogue["communes-metropole"]
    JeuDeDonnees.objects.filter(pk=jeu.pk).update(**change)
    jeu.refresh_from_db()
    with pytest.raises(NotPublishable, match=message):
        publish(jeu)
    assert JournalPublication.objects.get(jeu=jeu).issue == Issue.REFUSEE


def test_each_dataset_has_its_own_progress_shown_for_an_hour_at_most(catalogue):
    assert progress_key(1) != progress_key(2)
    services.show_progress(1, "Export CSV")
    services.show_progress(2, "Export GeoJSON")
    assert cache.get(progress_key(1)) == {"etape": "Export CSV"}
    key = cache.make_and_validate_key(progress_key(1))
    assert 3590 < cache._cache.get_client(key).ttl(key) <= services.PROGRESS_TIMEOUT == 3600


def snapshot_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'opendata_instantane_%%'")
        return [name for (name,) in cursor.fetchall()]


def test_the_frozen_copy_of_the_rows_is_dropped_and_a_dead_runs_one_replaced(catalogue):
    jeu = catalogue["communes-metropole"]
    with connection.cursor() as cursor:  # what a worker killed mid-export leaves behind
        cursor.execute(f'CREATE UNLOGGED TABLE "opendata_instantane_{jeu.pk}" AS SELECT 1 AS stale')
    publication = publish(jeu).publication
    assert publication.lignes == len(csv_rows(publication)) == 92
    assert snapshot_tables() == []
