"""The counting rules of docs/dvf-regles-de-comptage.md, one by one, on rows shaped like Etalab's file.

And the variants of the file the importer takes (csv, csv.gz, zip, the vintage before the ancien_*
columns) or refuses in one French sentence (the DGFiP's raw file, another département's file).
"""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from foncier.dvf import load, read
from foncier.dvf.importer import import_path
from foncier.models import Mutation
from observatoire.imports.base import ImportRejected, get_importer

from .test_dvf import house, row, sample_rows, text, write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dvf"
VIGNES = {"code_nature_culture": "VI", "nature_culture": "vignes"}
GARAGE = {"type_local": "Dépendance", "code_type_local": "3", "nombre_pieces_principales": "0"}
SOLS = {"code_nature_culture": "S", "nature_culture": "sols"}
JARDINS = {"code_nature_culture": "J", "nature_culture": "jardins"}


def imported(tmp_path, rows):
    import_path(write(tmp_path, text(rows)), schedule=False)
    return Mutation.objects.get()


def test_subdivisions_of_one_culture_on_a_parcel_are_all_counted(territoire, tmp_path):
    """Rule 3: three vineyards of one parcel are three sufs (it kept 1 749 m², then 64 635 of 76 058)."""
    parcel = "13001000HW0012"
    rows = [
        *(
            row("v", 415000, id_parcelle=parcel, surface_terrain=s, **VIGNES)
            for s in ("1749", "6905", "4518")
        ),
        row("v", 415000, id_parcelle="13001000HW0013", surface_terrain="40210", **VIGNES),
        row("v", 415000, id_parcelle="13001000HW0020", surface_terrain="15300", code_nature_culture="T"),
        row("v", 415000, id_parcelle="13001000HW0021", surface_terrain="7376", code_nature_culture="BT"),
    ]
    m = imported(tmp_path, rows)
    assert m.surface_terrain == 76058
    assert m.valeur_fonciere == 415000
    assert m.parcelles == [parcel, "13001000HW0013", "13001000HW0020", "13001000HW0021"]


def test_the_land_repeated_on_each_local_of_its_parcel_counts_once(territoire, tmp_path):
    """Rule 4: a flat, its cellar and its parking space on a parcel of 1 180 m² of « sols »."""
    copro = {"id_parcelle": "13208000KA0101", "surface_terrain": "1180", "nombre_lots": "3", **SOLS}
    rows = [
        row("a", 312000, lot1_numero="12", type_local="Appartement", code_type_local="2",
            surface_reelle_bati="62", nombre_pieces_principales="3", **copro),
        row("a", 312000, lot1_numero="40", **GARAGE, **copro),
        row("a", 312000, lot1_numero="103", **GARAGE, **copro),
    ]  # fmt: skip
    m = imported(tmp_path, rows)
    assert (m.nb_appartements, m.nb_dependances, m.surface_appartements) == (1, 2, 62)
    assert (m.surface_terrain, m.valeur_fonciere, m.type_mutation) == (1180, 312000, "appartement")


def test_a_local_repeated_on_each_suf_of_its_parcel_counts_once(territoire, tmp_path):
    """Rule 5: a house and its garage crossed with the parcel's sufs, two of them « sols »."""
    sufs = [{"surface_terrain": "300", **SOLS}, {"surface_terrain": "200", **SOLS},
            {"surface_terrain": "150", **JARDINS}]  # fmt: skip
    rows = [house("h", 500000, 110, **suf) for suf in sufs] + [
        row("h", 500000, **GARAGE, **suf) for suf in sufs
    ]
    m = imported(tmp_path, rows)
    assert (m.nb_maisons, m.surface_maisons, m.pieces_principales, m.nb_dependances) == (1, 110, 4, 1)
    assert m.surface_terrain == 650


def test_several_parcels_add_up(territoire, tmp_path):
    """Rule 6: the land of each parcel, the locals of each parcel."""
    rows = [
        house("p", 689000, 142, id_parcelle="13001000CE0211", surface_terrain="612"),
        house("p", 689000, 142, id_parcelle="13001000CE0211", surface_terrain="388", **JARDINS),
        row("p", 689000, id_parcelle="13001000CE0212", surface_terrain="250", code_nature_culture="AG"),
    ]
    m = imported(tmp_path, rows)
    assert (m.surface_terrain, m.nb_maisons) == (1250, 1)
    assert m.parcelles == ["13001000CE0211", "13001000CE0212"]


def test_price_once_per_disposition_and_land_once_per_mutation(territoire, tmp_path):
    """Rules 1 and 7: two dispositions of one deed, each with its price, on the same parcel."""
    parcel = {"id_parcelle": "13001000AB0311", "surface_terrain": "800", **SOLS}
    rows = [
        row("d", 150000, numero_disposition="000001", lot1_numero="5", type_local="Appartement",
            code_type_local="2", surface_reelle_bati="48", nombre_pieces_principales="2", **parcel),
        row("d", 150000, numero_disposition="000001", lot1_numero="31", **GARAGE, **parcel),
        row("d", 20000, numero_disposition="000002", lot1_numero="32", **GARAGE, **parcel),
    ]  # fmt: skip
    m = imported(tmp_path, rows)
    assert m.valeur_fonciere == 170000
    assert (m.nb_appartements, m.nb_dependances, m.surface_terrain) == (1, 2, 800)


def test_identical_rows(territoire, tmp_path):
    """Rule 8: a land row given twice is one suf; two identical garages are two, on one suf."""
    field = {"id_parcelle": "13001000BX0057", "surface_terrain": "5120", "code_nature_culture": "P"}
    boxes = {"id_parcelle": "13001000AB0311", "surface_terrain": "96", **SOLS, **GARAGE}
    import_path(write(tmp_path, text([row("f", 18500, **field), row("f", 18500, **field),
                                      row("g", 46000, **boxes), row("g", 46000, **boxes)])))  # fmt: skip
    f, g = Mutation.objects.get(id_mutation="f"), Mutation.objects.get(id_mutation="g")
    assert (f.surface_terrain, f.valeur_fonciere, f.lignes) == (5120, 18500, 2)
    assert (g.nb_dependances, g.surface_terrain, g.valeur_fonciere) == (2, 96, 46000)


def test_a_mutation_across_two_blocks_is_aggregated_whole(territoire, tmp_path, monkeypatch):
    """Streaming: blocks of 3 rows (and of a few hundred bytes) cut mutations anywhere; the file read
    again in one block then changes nothing (the upsert compares every column)."""
    longer_than_a_block = [row("v", 9000, id_parcelle=f"13001000HW{i:04d}", surface_terrain="10", **VIGNES)
                           for i in range(7)]  # fmt: skip
    path = write(tmp_path, text(sample_rows() + longer_than_a_block))
    with monkeypatch.context() as small:
        small.setattr(read, "BLOCK_ROWS", 3)
        small.setattr(read, "BLOCK", 1500)
        streamed = import_path(path, schedule=False)
    assert (streamed.read, streamed.inserted) == (30, 20)
    assert Mutation.objects.get(id_mutation="v").surface_terrain == 70
    whole = import_path(path, schedule=False)
    assert (whole.inserted, whole.updated, whole.details["inchangees"]) == (0, 0, 20)


@pytest.mark.parametrize("bulk", [1, load.BULK], ids=["copy-into-table", "staged"])
def test_a_mutation_whose_rows_are_apart_is_refused(territoire, tmp_path, monkeypatch, bulk):
    monkeypatch.setattr(read, "BLOCK_ROWS", 2)
    monkeypatch.setattr(load, "BULK", bulk)
    land = {"code_nature_culture": "T", "surface_terrain": "10"}
    rows = [row("x", 1000, **land), row("y", 2000), row("z", 3000), row("x", 1000, **land)]
    for _ in range(2):  # into the empty table, then beside existing rows
        with pytest.raises(ImportRejected, match="La mutation « x » apparaît en plusieurs endroits"):
            import_path(write(tmp_path, text(rows)), schedule=False)
        import_path(write(tmp_path, text([row("w", 500)]), "autre.csv"), schedule=False)
    assert list(Mutation.objects.values_list("id_mutation", flat=True)) == ["w"]


def test_recompute_is_scheduled_only_when_something_changed(
    territoire, tmp_path, django_capture_on_commit_callbacks
):
    path = write(tmp_path, text(sample_rows()))
    with django_capture_on_commit_callbacks() as first:
        get_importer("dvf").execute(path)
    with django_capture_on_commit_callbacks() as again:
        summary = get_importer("dvf").execute(path)
    with django_capture_on_commit_callbacks() as dry:
        get_importer("dvf").execute(write(tmp_path, text(sample_rows()[:-3]), "moins.csv"), dry_run=True)
    assert (len(first), summary.changed, len(again), len(dry)) == (1, 0, 0, 0)


def test_a_file_resaved_in_windows_1252_is_read(territoire, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(text(sample_rows()).encode("cp1252"))
    assert import_path(str(path), schedule=False).inserted == 19
    assert Mutation.objects.filter(nature_mutation="Vente en l'état futur d'achèvement").exists()


@pytest.mark.parametrize("name", ["dvf_vignoble_multi_suf.csv", "13001.csv.gz"])
def test_fixture_vineyard(territoire, name):
    call_command("import_dvf", str(FIXTURES / name), verbosity=0)
    assert Mutation.objects.get(id_mutation="2023-118806").surface_terrain == 76058


def test_fixture_zipped_flat_with_lots(territoire, capsys):
    call_command("import_dvf", str(FIXTURES / "dvf_appartement_lots.zip"), verbosity=0)
    assert "\\x" not in capsys.readouterr().out
    m = Mutation.objects.get()
    assert (m.code_commune, m.nb_appartements, m.nb_dependances, m.surface_terrain) == ("13208", 1, 2, 1180)


def test_fixture_house_on_two_parcels_and_identical_rows(territoire):
    call_command("import_dvf", str(FIXTURES / "dvf_maison_multi_parcelles.csv"), verbosity=0)
    call_command("import_dvf", str(FIXTURES / "dvf_lignes_identiques.csv"), verbosity=0)
    stored = {m.id_mutation: m for m in Mutation.objects.all()}
    house_sale = stored["2023-119532"]
    assert (house_sale.nb_maisons, house_sale.nb_dependances, house_sale.surface_terrain) == (1, 1, 1250)
    assert stored["2023-121077"].surface_terrain == 5120
    assert (stored["2023-121078"].nb_dependances, stored["2023-121078"].surface_terrain) == (2, 96)


def test_fixture_vintage_without_the_ancien_columns(territoire):
    call_command("import_dvf", str(FIXTURES / "dvf_v1_1_sans_colonnes_ancien.csv"), verbosity=0)
    assert Mutation.objects.get().surface_terrain == 1180


@pytest.mark.parametrize("name", ["ValeursFoncieres-2023.txt", "ValeursFoncieres-2020-S2.txt"])
def test_fixture_dgfip_raw_file_is_refused_in_one_sentence(territoire, name):
    with pytest.raises(CommandError) as refused:
        call_command("import_dvf", str(FIXTURES / name), verbosity=0)
    message = str(refused.value)
    assert "DVF brut de la DGFiP" in message and "DVF géolocalisées" in message
    assert "absente" not in message and "\n" not in message  # no list of missing columns


def test_fixture_of_another_departement_is_refused_naming_it(territoire):
    with pytest.raises(CommandError, match=r"Dordogne \(24\) : Périgueux"):
        call_command("import_dvf", str(FIXTURES / "dvf_dordogne_24.csv"), verbosity=0)
    assert not Mutation.objects.exists()


def test_another_official_file_is_sent_to_its_import(territoire, tmp_path):
    rpls = tmp_path / "rpls_2023.csv"
    rpls.write_text("DEPCOM_ARM;NB_LS;NB_LOUES\n13201;1520;1490\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"RPLS communal \(SDES\).*python manage.py import_rpls"):
        call_command("import_dvf", str(rpls), verbosity=0)


def test_a_file_resaved_with_semicolons_is_read(territoire, tmp_path):
    path = tmp_path / "tableur.csv"
    path.write_text(text(sample_rows()).replace(",", ";"), encoding="utf-8")
    assert import_path(str(path), schedule=False).inserted == 19
