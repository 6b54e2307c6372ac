import csv
import datetime
import gzip
import io
import re
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management import CommandError, call_command
from django.db import connection

from foncier.dvf import binary, load
from foncier.dvf.columns import HEADER
from foncier.dvf.demo import load_demo_dvf, write_demo_file
from foncier.dvf.importer import import_path
from foncier.dvf.indicateurs import recompute
from foncier.models import Mutation, TypeMutation
from foncier.tasks import recompute_dvf
from observatoire.imports.base import ImportRejected, get_importer
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.geometry import to_storage
from observatoire.territoires.models import Zone

AIX = {"code_commune": "13001", "nom_commune": "Aix-en-Provence", "code_postal": "13100",
       "longitude": "5.4474", "latitude": "43.5263"}  # fmt: skip
QPV_POINT = {"longitude": "5.46", "latitude": "43.54"}


def row(ident, valeur, **values):
    """One row of the published file; the columns a test does not care about keep plausible values."""
    data = dict.fromkeys(HEADER, "")
    data.update(AIX)
    data.update(
        id_mutation=ident, date_mutation="2023-06-15", numero_disposition="000001", nature_mutation="Vente",
        valeur_fonciere=str(valeur), code_departement="13", id_parcelle=f"13001000AB{len(ident):04d}",
    )  # fmt: skip
    data.update(values)
    return data


def apartment(ident, valeur, surface, **values):
    base = {"type_local": "Appartement", "code_type_local": "2", "lot1_numero": "12",
            "surface_reelle_bati": str(surface), "nombre_pieces_principales": "3"}  # fmt: skip
    return row(ident, valeur, **{**base, **values})


def house(ident, valeur, surface, **values):
    base = {"type_local": "Maison", "code_type_local": "1", "surface_reelle_bati": str(surface),
            "nombre_pieces_principales": "4", "code_nature_culture": "S", "nature_culture": "sols",
            "surface_terrain": "400"}  # fmt: skip
    return row(ident, valeur, **{**base, **values})


def land(ident, valeur, surface, parcelle, **values):
    base = {"nature_mutation": "Vente terrain à bâtir", "code_nature_culture": "AB",
            "nature_culture": "terrains a bâtir", "surface_terrain": str(surface),
            "id_parcelle": parcelle}  # fmt: skip
    return row(ident, valeur, **{**base, **values})


def sample_rows():
    marseille_8 = {"code_commune": "13208", "nom_commune": "Marseille 8e Arrondissement",
                   "longitude": "5.3810", "latitude": "43.2600", "id_parcelle": "13208000KA0101"}  # fmt: skip
    rows = [
        # Aix 2023, single apartments: 4 000, 4 500, 5 000, 5 500 and 6 000 €/m² (VEFA counts).
        apartment("2023-1", 200000, 50),
        # …the first one with its cellar: a second row repeating the price.
        row("2023-1", 200000, type_local="Dépendance", code_type_local="3", lot1_numero="40"),
        apartment("2023-2", 225000, 50, **QPV_POINT),
        apartment("2023-3", 250000, 50, **QPV_POINT),
        apartment("2023-4", 275000, 50),
        apartment("2023-5", 300000, 50, nature_mutation="Vente en l'état futur d'achèvement"),
        # Not a sale price: excluded from the indicators.
        apartment("2023-6", 1000000, 50, nature_mutation="Echange"),
        # Two apartments sold together: not a single-apartment sale.
        apartment("2023-7", 500000, 40, lot1_numero="1"),
        apartment("2023-7", 500000, 60, lot1_numero="2"),
        # Aix 2023, four houses only: their median stays secret.
        *(house(f"2023-1{i}", 400000 + 10000 * i, 100) for i in range(4)),
        # Marseille, published by arrondissement; its coordinates are missing.
        apartment("2023-20", 150000, 50, **{**marseille_8, "longitude": "", "latitude": ""}),
        apartment(
            "2023-21", 560000, 80, **{**marseille_8, "code_commune": "13201", "nom_commune": "Marseille 1er"}
        ),
        # Building land in Aix: 100 to 500 €/m², the last one over two parcels.
        *(land(f"2023-3{i}", 500 * 100 * i, 500, f"13001000ZA{i:04d}") for i in range(1, 5)),
        land("2023-35", 300000, 400, "13001000ZB0001"),
        land("2023-35", 300000, 600, "13001000ZB0002"),
        # 2024: one apartment.
        apartment("2024-1", 260000, 52, date_mutation="2024-02-01"),
        # Another département's commune of the file: skipped and counted.
        apartment("2023-90", 180000, 60, code_commune="13004", nom_commune="Arles"),
    ]
    return rows


def text(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write(tmp_path, content, name="dvf.csv"):
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(content.encode()))
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", ["dvf.csv", "dvf.csv.gz"])
def test_import_aggregates_rows_into_mutations(territoire, marseille, aix, tmp_path, capsys, name):
    call_command("import_dvf", write(tmp_path, text(sample_rows()), name))
    out = capsys.readouterr().out
    assert "23 lignes lues, 19 ajoutées, 0 mises à jour, 1 hors du territoire." in out
    assert Mutation.objects.count() == 19
    first = Mutation.objects.get(id_mutation="2023-1")
    assert first.valeur_fonciere == 200000  # repeated on the cellar's row, counted once
    assert (first.nb_appartements, first.nb_dependances, first.lignes) == (1, 1, 2)
    assert first.type_mutation == TypeMutation.APPARTEMENT
    assert first.commune == aix
    assert aix.geom.contains(first.geom)
    two = Mutation.objects.get(id_mutation="2023-7")
    assert (two.type_mutation, two.nb_appartements, two.surface_appartements) == ("appartements", 2, 100)
    arrondissement = Mutation.objects.get(id_mutation="2023-20")
    assert (arrondissement.commune, arrondissement.code_commune) == (marseille, "13208")
    assert arrondissement.arrondissement == Zone.objects.get(type=ZoneType.ARRONDISSEMENT, code="13208")
    assert arrondissement.geom is None  # missing coordinates are accepted
    two_parcels = Mutation.objects.get(id_mutation="2023-35")
    assert two_parcels.parcelles == ["13001000ZB0001", "13001000ZB0002"]
    assert (two_parcels.surface_terrain, two_parcels.surface_terrain_a_batir) == (1000, 1000)
    assert two_parcels.type_mutation == TypeMutation.TERRAIN_A_BATIR
    assert not Mutation.objects.filter(code_commune="13004").exists()


def test_house_rows_repeated_per_culture_count_once(territoire, tmp_path):
    garden = {"code_nature_culture": "J", "nature_culture": "jardins", "surface_terrain": "250"}
    rows = [
        house("2023-1", 300000, 90),
        house("2023-1", 300000, 90, **garden),  # the same house, on the parcel's garden
        row("2023-1", 300000, type_local="Dépendance", code_type_local="3", code_nature_culture="S",
            surface_terrain="400"),  # a garage: the land repeated on its row
        row("2023-1", 300000, type_local="Dépendance", code_type_local="3", code_nature_culture="S",
            surface_terrain="400"),  # and a second, identical garage
    ]  # fmt: skip
    import_path(write(tmp_path, text(rows)))
    mutation = Mutation.objects.get()
    assert (mutation.nb_maisons, mutation.surface_maisons, mutation.nb_dependances) == (1, 90, 2)
    assert mutation.surface_terrain == 650  # 400 of « sols » once, 250 of « jardins »
    assert mutation.valeur_fonciere == 300000
    assert mutation.type_mutation == TypeMutation.MAISON


def test_reimport_is_idempotent_and_dry_run_writes_nothing(territoire, tmp_path, capsys):
    path = write(tmp_path, text(sample_rows()))
    call_command("import_dvf", path, dry_run=True)
    assert "rien n'a été écrit) : 23 lignes lues, 19 ajoutées" in capsys.readouterr().out
    assert not Mutation.objects.exists()
    call_command("import_dvf", path)
    before = list(Mutation.objects.order_by("id").values_list("id", "id_mutation", "valeur_fonciere", "geom"))
    call_command("import_dvf", path)
    assert "0 ajoutées, 0 mises à jour" in capsys.readouterr().out.splitlines()[-1]
    assert (
        list(Mutation.objects.order_by("id").values_list("id", "id_mutation", "valeur_fonciere", "geom"))
        == before
    )
    changed = [apartment("2023-4", 280000, 50) if r["id_mutation"] == "2023-4" else r for r in sample_rows()]
    summary = import_path(write(tmp_path, text(changed), "changed.csv"))
    assert (summary.inserted, summary.updated) == (0, 1)
    assert Mutation.objects.get(id_mutation="2023-4").valeur_fonciere == 280000


def test_bulk_load_rebuilds_indexes_and_foreign_keys(territoire, tmp_path, monkeypatch):
    def shape():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'foncier_mutation' ORDER BY 1")
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'foncier_mutation'::regclass ORDER BY 1"
            )
            return indexes, cursor.fetchall()

    before = shape()
    monkeypatch.setattr(load, "BULK", 1)
    summary = import_path(write(tmp_path, text(sample_rows())))  # empty table: COPY straight in
    assert summary.inserted == 19
    assert shape() == before
    assert len(before[0]) == 4  # primary key, id_mutation, geometry, (commune, date)
    two_parcels = Mutation.objects.get(id_mutation="2023-35")
    assert two_parcels.parcelles == ["13001000ZB0001", "13001000ZB0002"]
    assert two_parcels.geom is not None and Mutation.objects.get(id_mutation="2023-20").geom is None
    again = import_path(write(tmp_path, text(sample_rows())))  # the staged path sees the same values
    assert (again.inserted, again.updated) == (0, 0)
    # Many new mutations into a filled table: staged, indexes rebuilt; ids go on after the COPY's.
    more = [apartment(f"2022-{i}", 100000 + i, 40) for i in range(40)]
    summary = import_path(write(tmp_path, text(sample_rows() + more), "more.csv"))
    assert (summary.inserted, summary.updated) == (40, 0)
    assert shape() == before
    assert Mutation.objects.count() == 59
    assert (
        Mutation.objects.filter(id_mutation="2023-1").values_list("valeur_fonciere", flat=True).get()
        == 200000
    )


@pytest.mark.parametrize("bulk", [1, load.BULK], ids=["copy-into-table", "staged"])
def test_binary_copy_stores_what_the_text_said(territoire, aix, tmp_path, monkeypatch, bulk):
    monkeypatch.setattr(load, "BULK", bulk)
    rows = [
        apartment("2023-1", "1234.565", 40),  # 1234.56499… as a float: PostgreSQL's text rounding gives .57
        apartment("2023-2", "0.125", 40),
        apartment("2023-3", "", 40, nature_mutation="Vente en l'état futur d'achèvement"),
        row("2023-4", 5000, id_parcelle='13001"\\AB0001'),  # quote and backslash inside an array
        row("2023-5", 5000, id_parcelle="", longitude="", latitude=""),  # no parcel, no point
        apartment("2023-6", "150000.1", 40, date_mutation="1999-12-31"),
    ]
    assert import_path(write(tmp_path, text(rows))).inserted == 6
    stored = {m.id_mutation: m for m in Mutation.objects.all()}
    assert [stored[f"2023-{i}"].valeur_fonciere for i in (1, 2, 3, 6)] == [
        Decimal("1234.57"), Decimal("0.13"), None, Decimal("150000.10")]  # fmt: skip
    assert stored["2023-3"].nature_mutation == "Vente en l'état futur d'achèvement"
    assert stored["2023-4"].parcelles == ['13001"\\AB0001']
    assert (stored["2023-5"].parcelles, stored["2023-5"].geom) == ([], None)
    assert stored["2023-6"].date_mutation == datetime.date(1999, 12, 31)
    assert stored["2023-1"].geom.srid == 2154 and aix.geom.contains(stored["2023-1"].geom)
    assert (import_path(write(tmp_path, text(rows))).inserted, Mutation.objects.count()) == (0, 6)


def test_binary_numeric_rounds_like_postgresql_text(db):
    values = [
        0.125,
        1.005,
        2.675,
        1234.565,
        0.0,
        99999999999.995,
        1e-9,
        12.3456,
        3.14159,
        7.5e12,
        -2.675,
        -0.5,
    ]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t (v numeric(15, 2))")
        with cursor.copy("COPY t (v) FROM STDIN WITH (FORMAT binary)") as copy:
            copy.write(binary.SIGNATURE)
            copy.write(binary.rows([binary.numerics(np.array(values), "v", 15)]))
        cursor.execute("SELECT v FROM t")
        sent = [v for (v,) in cursor.fetchall()]
        cursor.execute("SELECT unnest(%s::text[])::numeric(15, 2)", [[repr(v) for v in values]])
        assert sent == [v for (v,) in cursor.fetchall()]


@pytest.mark.parametrize(
    ("bad", "message"),
    [({"nombre_pieces_principales": "40000"}, "colonne pieces_principales (smallint) : 40000"),
     ({"valeur_fonciere": "10000000000000"}, "colonne valeur_fonciere")],
)  # fmt: skip
def test_value_beyond_the_column_rejects_the_file(territoire, tmp_path, monkeypatch, bad, message):
    bad_file = write(tmp_path, text([ONE_GOOD, {**apartment("2024-10", 120000, 45), **bad}]), "bad.csv")
    monkeypatch.setattr(load, "BULK", 1)
    with pytest.raises(ImportRejected, match=re.escape(message)):  # a first load, straight into the table
        import_path(bad_file)
    assert not Mutation.objects.exists()
    import_path(write(tmp_path, text(sample_rows())))
    before = list(Mutation.objects.order_by("id").values_list("id", "valeur_fonciere", "pieces_principales"))
    with pytest.raises(ImportRejected, match=re.escape(message)):  # into the staging table
        import_path(bad_file)
    assert (
        list(Mutation.objects.order_by("id").values_list("id", "valeur_fonciere", "pieces_principales"))
        == before
    )


ONE_GOOD = apartment("2024-9", 100000, 40)


def test_import_gives_back_pyarrow_default_allocator(territoire, tmp_path):
    default = pa.default_memory_pool().backend_name
    import_path(write(tmp_path, text(sample_rows())))
    with pytest.raises(ImportRejected):
        import_path(write(tmp_path, text([{**ONE_GOOD, "date_mutation": "2023-13-01"}]), "bad.csv"))
    assert pa.default_memory_pool().backend_name == default


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"date_mutation": "15/06/2023"},
            "ligne 3, colonne date_mutation : date invalide (AAAA-MM-JJ) « 15/06/2023 »",
        ),
        ({"date_mutation": "2023-02-30"}, "ligne 3, colonne date_mutation : date invalide"),
        (
            {"valeur_fonciere": "12 500,50"},
            "ligne 3, colonne valeur_fonciere : nombre invalide « 12 500,50 »",
        ),
        ({"surface_reelle_bati": "-4"}, "ligne 3, colonne surface_reelle_bati : nombre invalide"),
        ({"valeur_fonciere": "inf"}, "ligne 3, colonne valeur_fonciere : nombre invalide"),
        ({"code_commune": "13-01"}, "ligne 3, colonne code_commune : code commune invalide « 13-01 »"),
        ({"latitude": ""}, "ligne 3, colonne latitude : longitude et latitude vont ensemble"),
        ({"type_local": "Château"}, "ligne 3, colonne type_local : type de local inconnu « Château »"),
        ({"id_mutation": ""}, "ligne 3, colonne id_mutation : valeur manquante"),
        ({"id_parcelle": "13001000AB01234"}, "ligne 3, colonne id_parcelle : plus de 14 caractères"),
    ],
    ids=[
        "date",
        "date-impossible",
        "nombre",
        "negatif",
        "infini",
        "commune",
        "coordonnees",
        "type",
        "identifiant",
        "parcelle-trop-longue",
    ],
)
def test_one_bad_row_rejects_the_file_and_names_line_and_column(territoire, tmp_path, bad, message):
    call_command("import_dvf", write(tmp_path, text(sample_rows())))
    before = list(Mutation.objects.order_by("id").values_list("id", "valeur_fonciere"))
    rows = [ONE_GOOD, {**apartment("2024-10", 120000, 45), **bad}, apartment("2023-1", 999999, 50)]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_dvf", write(tmp_path, text(rows), "bad.csv"))
    assert list(Mutation.objects.order_by("id").values_list("id", "valeur_fonciere")) == before


def test_missing_column_truncated_gzip_and_wrong_field_count_are_clear(territoire, tmp_path):
    content = text(sample_rows())
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) : surface_terrain"):
        call_command("import_dvf", write(tmp_path, content.replace(",surface_terrain,", ",surface,", 1)))
    packed = gzip.compress(text(sample_rows() * 200).encode())
    truncated = tmp_path / "tronque.csv.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(CommandError, match="tronquée ou corrompue"):
        call_command("import_dvf", str(truncated))
    lines = content.splitlines()
    lines[4] = lines[4] + ",en trop"
    with pytest.raises(CommandError, match="ligne 5 : 41 champs au lieu de 40"):
        call_command("import_dvf", write(tmp_path, "\n".join(lines) + "\n", "champs.csv"))
    assert not Mutation.objects.exists()


def test_indicators_medians_counts_and_secret(territoire, aix, marseille, tmp_path):
    square = Polygon.from_bbox((5.455, 43.535, 5.465, 43.545))
    square.srid = 4326
    qpv = Zone.objects.create(
        type=ZoneType.QPV,
        code="QN01399T",
        nom="QPV d'essai",
        commune=aix,
        geom=MultiPolygon(to_storage(square), srid=2154),
    )
    import_path(write(tmp_path, text(sample_rows())))
    assert recompute() > 0

    def value(code, millesime=2023, **territory):
        return Valeur.objects.get(indicateur__code=code, millesime=millesime, **territory).valeur

    assert value("dvf-ventes-appartements", commune=aix) == 5  # the exchange and the pair excluded
    assert value("dvf-prix-m2-appartements", commune=aix) == 5000  # 4 000 … 6 000, price counted once
    assert value("dvf-ventes-maisons", commune=aix) == 4
    assert value("dvf-prix-m2-maisons", commune=aix) is None  # fewer than 5 sales: secret
    assert value("dvf-ventes-appartements", commune=marseille) == 2
    assert value("dvf-prix-m2-appartements", commune=marseille) is None
    metropole = {"epci__siren": "200054807"}
    assert value("dvf-ventes-appartements", **metropole) == 7
    assert value("dvf-prix-m2-appartements", **metropole) == 5000  # 3 000 4 000 4 500 5 000 5 500 6 000 7 000
    assert value("dvf-ventes-terrains-a-batir", commune=aix) == 5
    assert value("dvf-prix-m2-terrains-a-batir", commune=aix) == 300  # 100 200 300 400 and 300 on two parcels
    assert value("dvf-ventes-appartements", zone__code="13208") == 1
    assert value("dvf-ventes-appartements", zone=qpv) == 2
    assert value("dvf-ventes-appartements", 2024, commune=aix) == 1
    assert value("dvf-ventes-appartements", 2024, commune=marseille) == 0
    prices = Indicateur.objects.get(code="dvf-prix-m2-appartements")
    assert (prices.dernier_millesime, prices.rubrique.slug, prices.observatoire.slug) == (
        2023, "marches-immobiliers", "habitat")  # fmt: skip
    assert "moins de 5 ventes" in prices.methode
    terrains = Indicateur.objects.get(code="dvf-prix-m2-terrains-a-batir")
    assert (terrains.rubrique.slug, terrains.observatoire.slug) == ("marches-fonciers", "foncier")
    count = Valeur.objects.count()
    recompute_dvf()  # the task after each import: same values, upserted
    assert Valeur.objects.count() == count


def test_importer_is_registered_and_reports_progress(territoire, tmp_path):
    calls = []
    importer = get_importer("dvf")
    assert importer.observatoire == "foncier"
    summary = importer.run(write(tmp_path, text(sample_rows())), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (23, 23)
    assert summary.as_dict()["mutations"] == 19


def test_demo_file_is_in_the_published_format_and_loads(territoire, tmp_path):
    path = write_demo_file(tmp_path / "dvf_13.csv.gz", rows=3000)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        assert stream.readline().rstrip("\n").split(",") == HEADER
    summary = import_path(path, schedule=False)
    assert summary.read >= 3000
    assert summary.skipped_outside > 0  # Arles and Tarascon
    assert summary.inserted == Mutation.objects.count() > 1000
    assert Mutation.objects.filter(geom__isnull=True).exists()
    assert Mutation.objects.filter(arrondissement__isnull=False).exists()
    assert set(Mutation.objects.values_list("type_mutation", flat=True)) >= {
        "appartement", "maison", "terrain_a_batir", "dependances", "activite"}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM foncier_mutation m JOIN territoires_commune c ON c.id = m.commune_id "
            "WHERE m.geom IS NOT NULL AND NOT ST_Intersects(c.geom, m.geom)"
        )
        assert cursor.fetchone()[0] == 0  # every point lies in its commune
    recompute()
    aix_price = Valeur.objects.get(
        indicateur__code="dvf-prix-m2-appartements", commune__insee="13001", millesime=2023
    )
    assert 3500 < aix_price.valeur < 7000
    assert load_demo_dvf() is None  # already loaded: nothing generated
