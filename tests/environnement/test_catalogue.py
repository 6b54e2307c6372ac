"""The environnement datasets in the catalogue: public, their producers' licences, Table Schemas that
the published files satisfy, and the natural areas as an OGC API – Features collection."""

import csv
import io
import json

from django.core.files.storage import default_storage

from gouvernance.enums import Licence, Sensibilite
from gouvernance.models import JeuDeDonnees
from observatoire.opendata.models import Issue
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue

SLUGS = {
    "arretes-catnat-communes": Licence.LO2,
    "plans-prevention-risques-communes": Licence.LO2,
    "indice-atmo-communes": Licence.ODBL,  # Atmo France / AASQA publish under the ODbL
    "couverture-espaces-naturels": Licence.LO2,
    "espaces-naturels": Licence.LO2,
}


def _csv(publication):
    ressource = publication.ressources.get(format="csv")
    with default_storage.open(ressource.fichier, "rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))


def test_datasets_public_with_their_licences_and_files(environnement):
    sync_catalogue()
    jeux = {j.slug: j for j in JeuDeDonnees.objects.filter(slug__in=SLUGS)}
    assert {slug: (j.licence, j.sensibilite) for slug, j in jeux.items()} == {
        slug: (licence, Sensibilite.PUBLIC) for slug, licence in SLUGS.items()
    }
    entries = {slug: publish(jeu) for slug, jeu in jeux.items()}
    assert {slug: e.issue for slug, e in entries.items()} == dict.fromkeys(SLUGS, Issue.PUBLIEE)
    # 5 rows of decrees (Aix 4 with the two-peril decree, Marseille 1) and Gardanne's 1981 one: 6.
    catnat = _csv(entries["arretes-catnat-communes"].publication)
    assert len(catnat) == 6 and catnat[0]["commune_insee"] == "13001"
    assert [r["code_qual"] for r in _csv(entries["indice-atmo-communes"].publication)].count("3") == 7 + 1
    coverage = _csv(entries["couverture-espaces-naturels"].publication)
    assert {(r["type_espace"], r["part"]) for r in coverage} == {("", "15.60"), ("natura_sic", "10.40")}
    version = entries["indice-atmo-communes"].publication.version
    with default_storage.open(f"opendata/indice-atmo-communes/v{version}/schema.json", "rb") as handle:
        schema = json.load(handle)
    assert schema["licenses"][0]["name"] == "ODbL-1.0"
    assert schema["primaryKey"] == ["commune_insee", "date_ech"]


def test_natural_areas_ogc_collection(environnement, client):
    sync_catalogue()
    for jeu in JeuDeDonnees.objects.filter(slug="espaces-naturels"):
        publish(jeu)
    collection = client.get("/ogc/collections/espaces-naturels", {"f": "json"})
    assert collection.status_code == 200
    items = client.get("/ogc/collections/espaces-naturels/items", {"f": "json", "type": "natura_sic"}).json()
    assert [f["id"] for f in items["features"]] == ["natura_sic-FR9301"]
    lon, lat = items["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 5.0 < lon < 6.0 and 43.0 < lat < 44.0
