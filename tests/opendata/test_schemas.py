"""Table Schema per dataset: every published file validates against it with frictionless (the reference
implementation of the standard), GeoParquet metadata read by readers we did not write, the data
dictionary on the dataset page, the schema at its stable address."""

import csv
import datetime
import io
import json
import shutil
import subprocess

import geopandas
import pyarrow.parquet as pq
import pytest
from django.contrib.gis.geos import Point
from django.core.files.storage import default_storage
from frictionless import Resource, Schema

from environnement.models import ArreteCatnat, CouvertureCommune, EspaceNaturel, IndiceAtmo, PlanPrevention
from foncier.models import ConsommationEspace, ZonePlu
from gouvernance.models import JeuDeDonnees
from habitat.models import ConstructionAnnuelle, ParcSocial
from mobilite.models import Arret, Flux, Reseau
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.opendata import schemas
from observatoire.opendata.models import Issue
from observatoire.opendata.services import NotPublishable, publish
from observatoire.opendata.sources import DICTIONARIES, SOURCES, Field, describe, sync_catalogue
from observatoire.territoires.geometry import to_storage
from observatoire.territoires.models import Epci
from signalements.demo import load_categories
from signalements.models import Categorie, Signalement
from tests.fiscalite.rows import fill_fiscalite

CSV_ONLY = {"longitude", "latitude", "geometrie"}


@pytest.fixture
def every_source_filled(territoire, aix, marseille):
    """A few rows in every published source, nulls and negative-free edge values included."""
    ConstructionAnnuelle.objects.create(
        commune=aix, annee=2023, type_logement="collectif", logements_autorises=120, logements_commences=80,
        surface_autorisee=7_400, surface_commencee=5_100,
    )  # fmt: skip
    ParcSocial.objects.create(
        commune=aix, millesime=2023, nb_ls=9_000, nb_loues=8_700, tx_vac=2.5, loymoy=6.12
    )
    ParcSocial.objects.create(commune=marseille, millesime=2023, nb_ls=75_000)  # the rates unknown: empty
    ZonePlu.objects.create(
        idurba="200054807_PLUi_20191219", libelle="1AUH", libelong="Zone à urbaniser", typezone="AUc",
        destdomi="01", insee="13001", commune=aix, surface_m2=12_345.6, geom=aix.geom,
        datappro=datetime.date(2019, 12, 19),
    )  # fmt: skip
    ZonePlu.objects.create(
        idurba="13055_20150629", libelle="N", typezone="N", insee="13055", commune=marseille, surface_m2=1.0,
        geom=marseille.geom,
    )  # fmt: skip
    ConsommationEspace.objects.create(
        commune=aix, annee=2021, total_ha=12.25, habitat_ha=10.5, activite_ha=1.75
    )
    reseau = Reseau.objects.create(nom="Aix en bus", jour_type=datetime.date(2025, 3, 11))
    Arret.objects.create(
        reseau=reseau, stop_id="ROT", nom="Rotonde", commune=aix, passages=412, lignes="1, 2, 10",
        geom=to_storage(Point(5.4455, 43.5265, srid=4326)),
    )  # fmt: skip
    Flux.objects.create(
        commune=aix, millesime=2021, code_travail="13055", libelle_travail="Marseille", actifs=4321.3
    )
    indicateur = Indicateur.objects.create(
        code="essai", libelle="Essai", unite="%", definition="Essai", source="Essai"
    )
    Valeur.objects.create(indicateur=indicateur, commune=aix, millesime=2023, valeur=12.5)
    Valeur.objects.create(indicateur=indicateur, epci=Epci.objects.get(siren="200054807"), millesime=2023)
    ArreteCatnat.objects.create(
        cod_nat_catnat="INTE2315432A", commune=aix, num_risque_jo="18", lib_risque_jo="Sécheresse",
        dat_pub_jo=datetime.date(2023, 6, 20),
    )  # fmt: skip
    PlanPrevention.objects.create(
        cod_nat_ppr="13DDTM20100001", commune=aix, famille="PPRN", cod_risque="11", lib_risque="Inondation",
        dat_approbation=datetime.date(2010, 1, 4),
    )  # fmt: skip
    IndiceAtmo.objects.create(commune=aix, date_ech=datetime.date(2024, 7, 1), code_qual=3, code_o3=3)
    EspaceNaturel.objects.create(type="znieff1", identifiant="930012345", nom="Montagne Sainte-Victoire",
                                 millesime=2025, geom=aix.geom)  # fmt: skip
    CouvertureCommune.objects.create(commune=aix, type="", millesime=2025, surface_ha=18_600.5, part=100)
    fill_fiscalite(aix, marseille)
    load_categories()
    categorie = Categorie.objects.filter(parent__isnull=True).first()
    point = to_storage(Point(5.37412345, 43.29512345, srid=4326))
    Signalement.objects.create(commune=marseille, categorie=categorie, geom=point, description="Trou")
    resolved = Signalement.objects.create(commune=aix, categorie=categorie, geom=point, description="Tag")
    Signalement.objects.filter(pk=resolved.pk).update(status="resolu", resolved_at=resolved.created_at)
    sync_catalogue()
    return {jeu.slug: jeu for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique="")}


def stored(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def published(jeu):
    entry = publish(jeu)
    assert entry.issue == Issue.PUBLIEE, entry.message
    files = {r.format: r for r in entry.publication.ressources.all()}
    schema = json.loads(stored(f"opendata/{jeu.slug}/v{entry.publication.version}/schema.json"))
    return entry.publication, files, schema


def without_csv_geometry(schema):
    descriptor = dict(schema, fields=[f for f in schema["fields"] if f["name"] not in CSV_ONLY])
    return Schema.from_descriptor(descriptor)


def rows_report(rows, names, schema):
    """frictionless on rows read by another reader (GeoJSON properties, Parquet columns)."""
    data = [names] + [[row.get(name) for name in names] for row in rows]
    return Resource(data=data, schema=schema).validate()


def test_every_published_file_validates_against_its_table_schema(every_source_filled, tmp_path):
    assert len(every_source_filled) >= 14  # every public dataset with a source, each one checked
    for slug, jeu in every_source_filled.items():
        publication, files, schema = published(jeu)
        assert publication.lignes > 0, slug
        assert Schema.validate_descriptor(schema).valid, slug  # a valid Table Schema descriptor
        assert schema["name"] == slug and schema["version"] == f"{publication.version}.0.0"
        assert schema["licenses"][0]["name"] == {"lo-2.0": "etalab-2.0", "odbl-1.0": "ODbL-1.0"}[jeu.licence]
        assert schema["fields"]
        assert "@" in schema["contributors"][0]["email"]  # the dataset's contact, else the open-data one

        path = tmp_path / f"{slug}.csv"
        path.write_bytes(stored(files["csv"].fichier))
        resource = Resource(path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
        report = resource.validate()
        assert report.valid, (slug, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        with path.open(encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == [f["name"] for f in schema["fields"]]  # same order

        attributes = without_csv_geometry(schema)
        names = attributes.field_names
        table = pq.read_table(io.BytesIO(stored(files["parquet"].fichier)))
        assert table.column_names[: len(names)] == names
        report = rows_report(table.to_pylist(), names, attributes)
        assert report.valid, (slug, "parquet", report.flatten(["rowNumber", "fieldName", "type", "note"]))
        if "geojson" in files:
            features = json.loads(stored(files["geojson"].fichier))["features"]
            report = rows_report([f["properties"] for f in features], names, attributes)
            assert report.valid, (slug, "geojson", report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_types_are_the_same_in_every_format(every_source_filled):
    _, files, schema = published(every_source_filled["signalements-espace-public"])
    types = {f["name"]: f["type"] for f in schema["fields"]}
    assert types["identifiant"] == "integer" and types["date_signalement"] == "date"
    assert types["commune_insee"] == "string" and types["longitude"] == "number"
    parquet = pq.read_table(io.BytesIO(stored(files["parquet"].fichier)))
    assert str(parquet.schema.field("date_signalement").type) == "date32[day]"  # a date, not a text
    assert str(parquet.schema.field("identifiant").type) == "int64"
    row = parquet.to_pylist()[0]
    feature = json.loads(stored(files["geojson"].fichier))["features"][0]["properties"]
    assert feature["date_signalement"] == row["date_signalement"].isoformat()
    assert isinstance(feature["identifiant"], int)

    _, files, schema = published(every_source_filled["parc-social-rpls"])
    parquet = pq.read_table(io.BytesIO(stored(files["parquet"].fichier)))
    assert str(parquet.schema.field("taux_vacance").type) == "double"
    assert str(parquet.schema.field("logements_sociaux").type) == "int64"
    assert {f["name"]: f["type"] for f in schema["fields"]}["taux_vacance"] == "number"


def test_codes_are_strings_with_their_pattern_and_units_are_said(every_source_filled):
    _, _, schema = published(every_source_filled["zonage-plui"])
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["commune_insee"]["type"] == "string"
    assert fields["commune_insee"]["constraints"]["pattern"] == r"^(\d{5}|2[AB]\d{3})$"
    assert fields["idurba"]["type"] == "string" and "pattern" in fields["idurba"]["constraints"]
    assert fields["typezone"]["constraints"]["enum"] == ["U", "AUc", "AUs", "A", "N"]
    assert fields["surface_m2"]["unit"] == "m²" and "(unité : m²)" in fields["surface_m2"]["description"]
    assert fields["datappro"]["type"] == "date"
    assert schema["primaryKey"] == ["idurba", "libelle", "commune_insee"]
    assert schema["schemaNational"]["path"].startswith("https://schema.data.gouv.fr/")


def test_geoparquet_metadata_as_readers_we_did_not_write_see_it(every_source_filled, tmp_path):
    _, files, _ = published(every_source_filled["communes-metropole"])
    path = tmp_path / "communes.parquet"
    path.write_bytes(stored(files["parquet"].fichier))
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])["columns"]["geometry"]
    assert geo["geometry_types"] == ["MultiPolygon"]  # what every commune is, not "Polygon"
    xmin, ymin, xmax, ymax = geo["bbox"]
    assert 4.6 < xmin < xmax < 6.0 and 43.1 < ymin < ymax < 43.9  # the metropolis, longitude first

    frame = geopandas.read_parquet(path)
    assert len(frame) == 92 and set(frame.geom_type) == {"MultiPolygon"}
    assert frame.crs.to_string() == "OGC:CRS84"  # GeoParquet's default CRS: WGS 84, longitude first
    assert tuple(round(v, 6) for v in frame.total_bounds) == tuple(round(v, 6) for v in geo["bbox"])

    _, files, _ = published(every_source_filled["arrets-transport-en-commun"])
    path = tmp_path / "arrets.parquet"
    path.write_bytes(stored(files["parquet"].fichier))
    frame = geopandas.read_parquet(path)
    assert list(frame.geom_type) == ["Point"]
    assert json.loads(pq.read_schema(path).metadata[b"geo"])["columns"]["geometry"]["geometry_types"] == [
        "Point"
    ]


OGRINFO = shutil.which("ogrinfo")


@pytest.mark.skipif(OGRINFO is None, reason="GDAL absent")
def test_gdal_reads_the_geoparquet_when_its_parquet_driver_is_there(every_source_filled, tmp_path):
    formats = subprocess.run([OGRINFO, "--formats"], capture_output=True, text=True, check=True).stdout
    if "Parquet" not in formats:
        pytest.skip("GDAL sans pilote Parquet (Debian 12 : GDAL 3.6 sans libarrow)")
    _, files, _ = published(every_source_filled["communes-metropole"])
    path = tmp_path / "communes.parquet"
    path.write_bytes(stored(files["parquet"].fichier))
    out = subprocess.run(
        [OGRINFO, "-so", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Multi Polygon" in out and "Feature Count: 92" in out


def test_csv_geometry_is_wkt_for_polygons_and_lon_lat_for_points(every_source_filled):
    _, files, _ = published(every_source_filled["communes-metropole"])
    rows = list(csv.DictReader(io.StringIO(stored(files["csv"].fichier).decode())))
    aix = next(r for r in rows if r["insee"] == "13001")
    assert aix["geometrie"].startswith("MULTIPOLYGON(((5.") and "geom" not in aix and "longitude" not in aix

    _, files, _ = published(every_source_filled["arrets-transport-en-commun"])
    (stop,) = csv.DictReader(io.StringIO(stored(files["csv"].fichier).decode()))
    assert (stop["longitude"], stop["latitude"]) == ("5.445500", "43.526500") and "geom" not in stop


def test_schema_at_its_stable_address_and_dictionary_on_the_page(client, every_source_filled):
    jeu = every_source_filled["zonage-plui"]
    published(jeu)
    response = client.get(f"/opendata/{jeu.slug}/schema.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response.json()["path"].endswith(f"/opendata/{jeu.slug}/v1/schema.json")
    assert client.get(f"/opendata/{jeu.slug}/v1/schema.json").json() == response.json()
    assert client.get(f"/opendata/{jeu.slug}/v2/schema.json").status_code == 404

    page = client.get(f"/opendata/{jeu.slug}/").content.decode()
    assert "Dictionnaire des données" in page and "<code>idurba</code>" in page
    assert "surface de la zone dans la commune" in page.lower() and "valeurs : U, AUc, AUs, A, N" in page
    assert "schema.data.gouv.fr/cnigfr/schema-plan-local-urbanisme" in page
    assert f'href="/opendata/{jeu.slug}/schema.json"' in page


def test_a_schema_change_makes_a_new_version_and_an_undescribed_column_is_refused(every_source_filled):
    jeu = every_source_filled["flux-domicile-travail"]
    assert published(jeu)[0].version == 1
    assert publish(jeu).issue == Issue.INCHANGEE
    dictionary = DICTIONARIES["flux-domicile-travail"]
    try:
        fields = [
            Field(f.name, f.description + " (revu)") if f.name == "actifs" else f for f in dictionary.fields
        ]
        describe("flux-domicile-travail", *fields, primary_key=dictionary.primary_key)
        assert published(jeu)[0].version == 2  # same rows, new description: a new version
        describe("flux-domicile-travail", *fields[:-1], primary_key=dictionary.primary_key)
        with pytest.raises(
            NotPublishable, match="« actifs » de la source « flux-domicile-travail » n'est pas décrite"
        ):
            publish(jeu)
    finally:
        DICTIONARIES["flux-domicile-travail"] = dictionary


def test_every_column_of_every_public_source_is_described(territoire):
    sync_catalogue()
    keys = set(
        JeuDeDonnees.objects.publishable()
        .exclude(source_technique="")
        .values_list("source_technique", flat=True)
    )
    assert len(keys) >= 14  # 9 before the environnement and fiscalité observatories
    for key in keys:
        described = schemas.fields(SOURCES[key])  # raises UndescribedColumn otherwise
        assert all(f["description"] for f in described), key
