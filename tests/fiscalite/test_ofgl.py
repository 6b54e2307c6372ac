from pathlib import Path

import pytest

from fiscalite.models import AgregatComptable
from fiscalite.ofgl import layout
from observatoire.imports.base import ImportRejected, get_importer
from observatoire.territoires.models import Commune, Epci

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ofgl"
HEADER = (
    "Exercice;Code Insee 2024 Département;Code Siren 2024 EPCI;Code Insee 2024 Commune;Nom 2024 Commune;"
    "Code Siren Collectivité;Agrégat;Montant BP;Montant BA;Montant flux BP-BA;Montant;Population totale"
)


def run(path, **options):
    return get_importer("ofgl_comptes").execute(path, **options)


def write(tmp_path, *rows, header=HEADER, name="ofgl.csv"):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    return path


def montant(agregat, exercice, *, commune=None, epci=None):
    row = AgregatComptable.objects.get(agregat=agregat, exercice=exercice, commune=commune, epci=epci)
    return row.montant, row.population


def test_the_consolidated_amount_is_stored_as_the_ofgl_publishes_it(marseille, aix):
    summary = run(FIXTURES / "ofgl-base-communes-consolidee_2024.csv")
    assert (summary.read, summary.inserted, summary.skipped_outside) == (18, 18, 0)
    # Montant = BP 1 390 M + BA 52 M − flux 9.5 M, as published in « Montant ».
    assert montant("Dépenses de fonctionnement", 2023, commune=marseille) == (1_432_500_000.0, 873_076)
    assert montant("Encours de dette", 2022, commune=aix) == (104_000_000.0, 146_821)
    aubagne = Commune.objects.get(insee="13005")
    assert montant("Epargne nette", 2023, commune=aubagne) == (-1_350_000.0, 47_208)
    assert summary.details["exercices"] == [2022, 2023]
    assert summary.warnings == []


def test_a_reimport_updates_the_same_rows(marseille):
    run(FIXTURES / "ofgl-base-communes-consolidee_2024.csv")
    AgregatComptable.objects.filter(commune=marseille).update(montant=1.0)
    summary = run(FIXTURES / "ofgl-base-communes-consolidee_2024_csv.zip")
    assert (summary.inserted, summary.updated) == (0, 18)
    assert AgregatComptable.objects.count() == 18
    assert montant("Epargne brute", 2023, commune=marseille)[0] == 114_000_000.0


def test_an_older_geography_and_layout_and_an_empty_amount(territoire):
    summary = run(FIXTURES / "ofgl-base-communes-consolidee_geo2023.csv")
    assert summary.inserted == 5
    salon = Commune.objects.get(insee="13103")
    assert montant("Dépenses d'équipement", 2019, commune=salon) == (9_800_000.0, 45_528)
    # An empty Montant is no account, not zero.
    assert montant("Dépenses d'équipement", 2020, commune=salon) == (None, 45_717)


def test_groupements_by_siren_and_an_epci_elsewhere_counted_under_its_departement(territoire):
    metropole = Epci.objects.get(siren="200054807")
    summary = run(FIXTURES / "ofgl-base-gfp-consolidee_2024.csv")
    assert (summary.read, summary.inserted, summary.skipped_outside) == (6, 5, 1)
    assert list(summary.outside) == ["83 (EPCI 248300543)"]
    assert montant("Encours de dette", 2023, epci=metropole) == (2_750_000_000.0, 1_911_311)
    assert not AgregatComptable.objects.filter(commune__isnull=False).exists()


def test_main_and_annex_budgets_of_the_per_budget_base_are_summed_with_a_warning(territoire):
    summary = run(FIXTURES / "ofgl-base-communes_budgets_principal_et_annexe.csv")
    ciotat = Commune.objects.get(insee="13028")
    # 52 M (budget principal) + 3.5 M (budget annexe du port); the population counted once.
    assert montant("Dépenses de fonctionnement", 2023, commune=ciotat) == (55_500_000.0, 36_542)
    assert montant("Encours de dette", 2023, commune=ciotat) == (43_000_000.0, 36_542)
    assert "flux croisés" in summary.warnings[0]


def test_a_commune_nouvelle_keeps_one_row_per_former_commune_summed_with_their_populations(tmp_path, aix):
    path = write(
        tmp_path,
        "2023;13;200054807;13001;Aix-en-Provence;211300017;Encours de dette;100;0;0;100.5;140000",
        "2023;13;200054807;13001;Aix-en-Provence;211300999;Encours de dette;50;0;0;50.25;7000",
    )
    run(path)
    assert montant("Encours de dette", 2023, commune=aix) == (150.75, 147_000)


def test_arrondissements_add_up_unless_the_commune_has_its_own_row(tmp_path, marseille, aix):
    path = write(
        tmp_path,
        "2023;13;200054807;13201;Marseille 1er;;Frais de personnel;;;;10;40000",
        "2023;13;200054807;13202;Marseille 2e;;Frais de personnel;;;;5;25000",
        "2022;13;200054807;13201;Marseille 1er;;Frais de personnel;;;;9;40000",
        "2022;13;200054807;13055;Marseille;211300553;Frais de personnel;;;;600;870000",
    )
    summary = run(path)
    assert montant("Frais de personnel", 2023, commune=marseille)[0] == 15.0
    assert montant("Frais de personnel", 2022, commune=marseille) == (600.0, 870_000)
    assert summary.details["arrondissements_ignores"] == 1


def test_the_api_field_names_are_read_too(tmp_path, aix):
    path = write(tmp_path, "2021-01-01;13001;211300017;Epargne brute;-12.5;145000",
                 header="exer;com_code;siren;agregat;montant;ptot")  # fmt: skip
    run(path)
    assert montant("Epargne brute", 2021, commune=aix) == (-12.5, 145_000)


def test_errors_name_the_line_and_the_column(tmp_path, territoire):
    path = write(
        tmp_path,
        "2023;13;200054807;13001;Aix;211300017;Encours de dette;;;;1e3x;147000",
        "23;13;200054807;13001;Aix;211300017;Encours de dette;;;;10;147000",
        "2023;13;200054807;13001;Aix;211300017;Encours de dette;;;;10;-4",
    )
    with pytest.raises(ImportRejected) as refused:
        run(path)
    assert refused.value.errors == [
        "ligne 2, colonne Montant : montant invalide « 1e3x » (euros attendus).",
        "ligne 3, colonne Exercice : exercice invalide « 23 » (année attendue).",
        "ligne 4, colonne Population totale : population invalide « -4 ».",
    ]
    assert not AgregatComptable.objects.exists()


def test_a_header_without_territory_or_amount_is_refused_in_french(tmp_path, territoire):
    path = write(tmp_path, "2023;Dépenses totales;12", header="Exercice;Agrégat;Montant en millions")
    with pytest.raises(ImportRejected, match="Colonne\\(s\\) absente\\(s\\) : Code Insee AAAA Commune"):
        run(path)


def test_the_latest_geography_is_read_when_a_header_has_two():
    _, columns = layout(
        ["Exercice", "Code Insee 2023 Commune", "Code Insee 2024 Commune", "Agrégat", "Montant"]
    )
    assert columns["commune"] == "Code Insee 2024 Commune"


def test_progress_and_registration(tmp_path, aix):
    calls = []
    run(FIXTURES / "ofgl-base-communes-consolidee_2024.csv", progress=lambda done, total: calls.append(done))
    assert calls[-1] == 18
    importer = get_importer("ofgl_comptes")
    assert (importer.observatoire, importer.extensions) == ("fiscalite", (".csv", ".zip"))


def test_a_dry_run_writes_nothing(aix):
    summary = run(FIXTURES / "ofgl-base-communes-consolidee_2024.csv", dry_run=True)
    assert summary.inserted == 18
    assert not AgregatComptable.objects.exists()


def test_the_demo_files_go_through_the_importer_with_plausible_values(tmp_path, marseille):
    from fiscalite.demo_ofgl import siren_of, write_demo_files

    assert siren_of("13055") == "211300553"
    assert siren_of("13001") == "211300017"
    files = write_demo_files(tmp_path)
    for kind, path in files:
        get_importer(kind).execute(path)
    communes = Commune.objects.filter(epci__isnull=False).count()
    assert (
        AgregatComptable.objects.filter(commune__isnull=False).values("commune").distinct().count()
        == communes
    )
    assert sorted(AgregatComptable.objects.values_list("exercice", flat=True).distinct()) == list(
        range(2019, 2025)
    )
    metropole = Epci.objects.get(siren="200054807")
    assert AgregatComptable.objects.filter(epci=metropole, exercice=2024, agregat="Encours de dette").exists()
    df, population = montant("Dépenses de fonctionnement", 2024, commune=marseille)
    assert 1_500 < df / population < 2_200
    rf = montant("Recettes de fonctionnement", 2024, commune=marseille)[0]
    assert 0.04 < montant("Epargne brute", 2024, commune=marseille)[0] / rf < 0.17
    for row in AgregatComptable.objects.filter(agregat="Dépenses de fonctionnement", commune__isnull=False):
        assert 900 < row.montant / row.population < 2_200


def test_a_dgcl_file_given_here_is_named_with_its_import(territoire):
    dgcl = FIXTURES.parent / "dgcl" / "criteres_repartition_2022.csv"
    with pytest.raises(ImportRejected, match=r"DGCL, critères de répartition.*import_dgcl_criteres"):
        run(dgcl)


def test_a_code_written_as_a_number_is_read_and_a_wrong_one_is_refused(tmp_path, aix):
    path = write(tmp_path, "2023;13;200054807;13001.0;Aix;211300017;Encours de dette;;;;10;147000")
    run(path)
    assert montant("Encours de dette", 2023, commune=aix) == (10.0, 147_000)
    path = write(tmp_path, "2023;13;200054807;13x;Aix;211300017;Encours de dette;;;;10;147000")
    with pytest.raises(ImportRejected) as refused:
        run(path)
    assert refused.value.errors == [
        "ligne 2, colonne Code Insee 2024 Commune : code commune invalide « 13x »."
    ]
