"""Only answers to questions declared public leave the portal: open-data files, public API, Open311."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from django.core.files.storage import default_storage

from gouvernance.models import JeuDeDonnees
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue

from .questions_support import file_with_answers, questions_fixture  # noqa: F401

SECRET = "derriere-chez-mme-durand"  # the answer to a non-public question (« detail »)


@pytest.fixture
def report(marseille_setup, categories, questions):
    return file_with_answers(
        categories["proprete"], {"volume": "coffre", "depuis": "2026-11-02", "detail": SECRET}
    )


def read(ressource):
    with default_storage.open(ressource.fichier, "rb") as handle:
        return handle.read()


def test_published_files_carry_public_answers_only(report):
    sync_catalogue()
    publication = publish(JeuDeDonnees.objects.get(slug="signalements-espace-public")).publication
    files = {ressource.format: read(ressource) for ressource in publication.ressources.all()}
    assert {"csv", "geojson", "parquet"} <= set(files)
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode())))
    assert json.loads(rows[0]["reponses_publiques"]) == {"volume": "coffre"}
    feature = json.loads(files["geojson"])["features"][0]
    assert json.loads(feature["properties"]["reponses_publiques"]) == {"volume": "coffre"}
    parquet = pq.read_table(io.BytesIO(files["parquet"])).to_pylist()
    assert json.loads(parquet[0]["reponses_publiques"]) == {"volume": "coffre"}
    for fmt, content in files.items():
        assert SECRET.encode() not in content, fmt
        assert b"2026-11-02" not in content, fmt  # « depuis » is not public either
    assert SECRET not in str(parquet)


def test_a_question_made_public_of_another_category_does_not_leak(report, questions):
    # « detail » made public, but in another category: the report's answer stays private.
    questions["detail"].categorie = report.categorie.__class__.objects.get(code="voirie")
    questions["detail"].publique = True
    questions["detail"].save()
    sync_catalogue()
    publication = publish(JeuDeDonnees.objects.get(slug="signalements-espace-public")).publication
    for ressource in publication.ressources.all():
        assert SECRET.encode() not in read(ressource), ressource.format


def test_public_api_and_open311_never_show_answers(client, report):
    for url in (
        "/api/v1/signalements/",
        f"/api/v1/signalements/{report.pk}/",
        "/open311/v2/requests.json",
        "/ogc/collections/signalements/items?f=json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{report.pk}.json",
    ):
        content = client.get(url).content.decode()
        assert str(report.pk) in content, url
        assert SECRET not in content and "2026-11-02" not in content, url
