import csv
import io
import json

from django.core.files.storage import default_storage
from frictionless import Resource, Schema

from gouvernance.enums import Licence, Sensibilite, Theme
from gouvernance.models import JeuDeDonnees
from observatoire.opendata.models import Issue
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue

from .rows import fill_fiscalite

SLUGS = {
    "fiscalite-rei-communes": "Taux et bases de la fiscalité directe locale par commune (REI)",
    "fiscalite-ofgl-comptes": "Comptes consolidés des communes (OFGL)",
    "fiscalite-dgcl-criteres": "Critères de répartition des dotations (DGCL)",
}


def test_the_three_datasets_are_public_open_licence_and_published(territoire):
    sync_catalogue()
    for slug, titre in SLUGS.items():
        jeu = JeuDeDonnees.objects.get(slug=slug)
        assert jeu.titre == titre and jeu.theme == Theme.FISCALITE
        assert (jeu.sensibilite, jeu.licence, jeu.publier) == (Sensibilite.PUBLIC, Licence.LO2, True)
        assert JeuDeDonnees.objects.publishable().filter(slug=slug).exists()


def test_published_files_validate_against_their_table_schema(aix, marseille, tmp_path):
    fill_fiscalite(aix, marseille)
    sync_catalogue()
    for slug in SLUGS:
        entry = publish(JeuDeDonnees.objects.get(slug=slug))
        assert entry.issue == Issue.PUBLIEE, entry.message
        files = {r.format: r for r in entry.publication.ressources.all()}
        with default_storage.open(files["csv"].fichier, "rb") as handle:
            data = handle.read()
        path = tmp_path / f"{slug}.csv"
        path.write_bytes(data)
        schema_name = f"opendata/{slug}/v{entry.publication.version}/schema.json"
        with default_storage.open(schema_name, "rb") as handle:
            schema = Schema.from_descriptor(json.loads(handle.read()))
        assert schema.primary_key
        report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
        assert report.valid, (slug, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert len(rows) == 2, slug


def test_a_secret_cell_is_published_empty_not_zero(aix, marseille):
    fill_fiscalite(aix, marseille)
    sync_catalogue()
    entry = publish(JeuDeDonnees.objects.get(slug="fiscalite-rei-communes"))
    csv_file = next(r for r in entry.publication.ressources.all() if r.format == "csv")
    with default_storage.open(csv_file.fichier, "rb") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))
    secret = next(row for row in rows if row["commune_insee"] == "13055")
    assert secret["valeur"] == "" and secret["secret"] in (
        "t",
        "true",
    )  # PostgreSQL COPY, declared in the schema
