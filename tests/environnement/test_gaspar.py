"""The GASPAR importer: the zip and its members, both layouts of each table, duplicates, Marseille,
integer INSEE codes, dates, refusals, idempotence and the demo files."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from environnement.enums import FamillePpr
from environnement.gaspar_catnat import peril
from environnement.gaspar_cells import normalise_header, parse_date
from environnement.gaspar_ppr import alea
from environnement.models import ArreteCatnat, PlanPrevention
from observatoire.imports.base import ImportRejected, get_importer
from observatoire.imports.files import chosen_member

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gaspar"
CATNAT_HEADER = (
    "cod_nat_catnat;cod_commune;lib_commune;num_risque_jo;lib_risque_jo;dat_deb;dat_fin;dat_pub_arrete;"
    "dat_pub_jo;dat_maj"
)


def run(name, *args):
    out = io.StringIO()
    call_command("import_gaspar", str(FIXTURES / name), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2019-11-25", date(2019, 11, 25)),
        ("2019-11-25 00:00:00", date(2019, 11, 25)),
        ("2016-05-30 02:00:00", date(2016, 5, 30)),
        ("2022-05-24 11:17:06.954", date(2022, 5, 24)),
        ("2019-11-25T00:00:00", date(2019, 11, 25)),
        ("25/11/2019", date(2019, 11, 25)),
        ("25/11/2019 00:00", date(2019, 11, 25)),
        ("25-11-2019", date(2019, 11, 25)),
        ("", None),
        ("  ", None),
    ],
)
def test_dates_in_every_form_seen(raw, day):
    assert parse_date(raw) == day


@pytest.mark.parametrize("raw", ["2019-13-01", "31/09/2008", "2019-02-30", "25.11.2019", "hier", "20191125"])
def test_a_wrong_date_is_refused(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


def test_headers_are_normalised_and_misspellings_mended():
    header = ["\ufeffCODE PROECEDURE", "CODE RISQUE 2", "LIBELLE RISQUE 2", "CODE RISQUE 2"]
    header.append("LIBELLE SOUS-ETAT")
    assert normalise_header(header) == [
        "code_procedure",
        "code_risque_2",
        "libelle_risque_2",
        "code_risque_3",
        "libelle_sous_etat",
    ]
    assert normalise_header(['"Libellé Risque 1"', "dat_pub_jo"]) == ["libelle_risque_1", "dat_pub_jo"]


def test_perils_and_hazards_are_classed_from_their_labels():
    assert peril("Inondations et/ou Coulées de Boue") == "inondation"
    rga = "Mouvements de terrain différentiels consécutifs à la sécheresse et à la réhydratation des sols"
    assert peril(rga) == "secheresse"
    assert peril("Mouvement de Terrain") == "mouvement_terrain"
    assert peril("Séisme") == "seisme"
    assert peril("Grêle") == "tempete"
    assert alea("Inondation - Par submersion marine") == "inondation"
    assert alea("Mouvement de terrain - Tassements différentiels") == "retrait_gonflement_argiles"
    assert alea("Feu de forêt") == "incendie_foret"
    assert alea("Mouvement de terrain - Glissement de terrain") == "mouvement_terrain"
    assert alea("Risque industriel", "PPRT Lavéra") == "autre"


def test_the_recent_zip_imports_its_known_members_and_lists_the_others(territoire):
    out = run("gaspar_2026-09-21.zip")
    assert "16 lignes lues, 12 ajoutées, 0 mises à jour, 2 hors du territoire" in out
    assert "1 ligne(s) en double exact ignorée(s)" in out
    assert "azi_gaspar_2026-09-21.csv (atlas des zones inondables)" in out
    aix_flood = ArreteCatnat.objects.get(commune__insee="13001", cod_nat_catnat="INTE1926470A")
    assert (aix_flood.num_risque_jo, aix_flood.dat_deb, aix_flood.dat_pub_jo) == (
        "ICB",
        date(2019, 11, 22),
        date(2019, 12, 13),
    )
    # The 3rd and 8th arrondissements' rows are Marseille's one decree.
    assert ArreteCatnat.objects.filter(commune__insee="13055").count() == 1
    assert ArreteCatnat.objects.count() == 5
    aubagne = PlanPrevention.objects.get(commune__insee="13005")
    assert (aubagne.famille, aubagne.cod_risque, aubagne.dat_approbation, aubagne.etat) == (
        FamillePpr.PPRN,
        "110",
        date(2017, 2, 24),
        "Opposable – Approuvé",
    )
    assert aubagne.lib_risque == "Inondation - Par une crue à débordement lent de cours d'eau"
    assert PlanPrevention.objects.filter(famille=FamillePpr.PPRT).count() == 4
    assert set(
        PlanPrevention.objects.filter(cod_nat_ppr="13DREAL20090004").values_list("commune__insee", flat=True)
    ) == {"13014", "13081"}


def test_reimport_is_idempotent_and_updates(territoire):
    importer = get_importer("gaspar")
    first = importer.execute(FIXTURES / "gaspar_2026-09-21.zip")
    again = importer.execute(FIXTURES / "gaspar_2026-09-21.zip")
    assert (first.inserted, first.updated) == (12, 0)
    assert (again.inserted, again.updated) == (0, 12)
    assert ArreteCatnat.objects.count() + PlanPrevention.objects.count() == 12
    assert again.details["doublons_exacts"] == 1
    assert again.details["arrondissements_fusionnes"] == 1
    assert again.details["membres_ignores"] == ["azi_gaspar_2026-09-21.csv (atlas des zones inondables)"]
    assert again.details["plans_par_famille"] == {"PPRN": 3, "PPRT": 4}
    assert again.details["dispositions"]["catnat_gaspar_2026-09-21.csv"].endswith("(exports 2025–2026)")


def test_dry_run_writes_nothing(territoire):
    summary = get_importer("gaspar").execute(FIXTURES / "gaspar_2026-09-21.zip", dry_run=True)
    assert summary.inserted == 12
    assert not ArreteCatnat.objects.exists()
    assert not PlanPrevention.objects.exists()


def test_one_member_of_the_zip(territoire):
    with chosen_member("pprt_gaspar_2026-09-21.csv"):
        summary = get_importer("gaspar").execute(FIXTURES / "gaspar_2026-09-21.zip")
    assert summary.inserted == 4
    # The PPRT table of the dated exports has the PPRN's misspelt « CODE PROECEDURE » header too.
    assert "« CODE PROECEDURE »" in summary.details["dispositions"]["pprt_gaspar_2026-09-21.csv"]
    assert not ArreteCatnat.objects.exists()


def test_a_member_of_a_table_not_imported_is_refused_alone(territoire):
    with chosen_member("azi_gaspar_2026-09-21.csv"), pytest.raises(ImportRejected, match="atlas des zones"):
        get_importer("gaspar").execute(FIXTURES / "gaspar_2026-09-21.zip")


def test_a_member_not_in_the_zip_is_refused_listing_the_zip(territoire):
    absent = r"pas de fichier « catnat\.csv »"
    with chosen_member("catnat.csv"), pytest.raises(ImportRejected, match=absent) as no:
        get_importer("gaspar").execute(FIXTURES / "gaspar_2026-09-21.zip")
    assert "« catnat_gaspar_2026-09-21.csv »" in no.value.errors[0]
    assert not ArreteCatnat.objects.exists()


def test_the_older_catnat_table_with_exact_duplicates(territoire):
    out = run("catnat_gaspar.csv")
    assert "8 lignes lues, 5 ajoutées" in out
    assert "3 ligne(s) en double exact ignorée(s)" in out
    marseille = ArreteCatnat.objects.get(commune__insee="13055")
    assert (marseille.dat_deb, marseille.dat_fin, marseille.dat_pub_arrete) == (
        date(2008, 9, 6),
        date(2008, 9, 7),
        date(2008, 10, 16),
    )


def test_the_misspelt_upper_case_ppr_with_integer_codes(territoire):
    out = run("pprn_gaspar_proecedure_codes_entiers.csv")
    assert "5 lignes lues, 4 ajoutées, 0 mises à jour, 1 hors du territoire" in out
    istres = PlanPrevention.objects.filter(commune__insee="13047").order_by("cod_risque")
    assert [(p.cod_risque, p.etat) for p in istres] == [
        ("113", "Opposable – Anticipé"),
        ("123", "Opposable – Anticipé"),
    ]
    assert PlanPrevention.objects.get(commune__insee="13055").cod_nat_ppr == "13DDTM20060031"
    name = "pprn_gaspar_proecedure_codes_entiers.csv"
    summary = get_importer("gaspar").execute(FIXTURES / name, dry_run=True)
    assert "« CODE PROECEDURE »" in summary.details["dispositions"][name]


def test_the_lower_case_ppr_state_comes_from_its_dates(territoire):
    run("pprn_gaspar.csv")
    states = dict(PlanPrevention.objects.values_list("cod_nat_ppr", "etat"))
    assert states == {
        "13DDTM20110003": "Approuvé",
        "13DDTM20080012": "Approuvé",
        "13DDTM20050044": "Déprescrit",
        "13DDTM19970002": "Abrogé",
    }
    grans = PlanPrevention.objects.get(commune__insee="13044")
    assert (grans.dat_approbation, grans.dat_abrogation, grans.famille) == (
        date(1999, 12, 20),
        date(2016, 4, 11),
        FamillePpr.PPRN,
    )


def test_a_file_of_the_var_is_refused(territoire):
    with pytest.raises(CommandError, match=r"Var \(83\)"):
        run("catnat_gaspar_var.csv")


def test_a_wrong_date_names_its_line_and_column(territoire):
    with pytest.raises(CommandError) as refused:
        run("catnat_gaspar_date_invalide.csv")
    assert "ligne 3, colonne dat_pub_jo : date invalide « 31/09/2008 »" in str(refused.value)
    assert not ArreteCatnat.objects.exists()


def test_a_gaspar_table_not_imported_is_refused_alone(territoire, tmp_path):
    with pytest.raises(CommandError, match="risques recensés par commune"):
        run("risq_gaspar.csv")
    # Uploaded in the admin, the file has a temporary name: its header tells.
    renamed = write(tmp_path, "tmpx81k2.csv", (FIXTURES / "risq_gaspar.csv").read_text(encoding="utf-8"))
    with pytest.raises(ImportRejected, match="risques recensés par commune"):
        get_importer("gaspar").execute(renamed)
    azi = write(tmp_path, "tmpq0a.csv", "cod_nat_azi;lib_azi;cod_commune\nA;Atlas;13005\n")
    with pytest.raises(ImportRejected, match="atlas des zones inondables"):
        get_importer("gaspar").execute(azi)


def test_a_wrong_commune_code_and_an_unknown_file(territoire, tmp_path):
    bad = write(tmp_path, "catnat.csv", f"{CATNAT_HEADER}\nA1;13O01;Aix;ICB;Inondations;2019-01-01;;;;\n")
    with pytest.raises(ImportRejected) as refused:
        get_importer("gaspar").execute(bad)
    assert "ligne 2, colonne cod_commune : code commune invalide « 13O01 »" in refused.value.errors[0]
    other = write(tmp_path, "autre.csv", "code;valeur\n13001;1\n")
    with pytest.raises(ImportRejected, match="cod_nat_catnat"):
        get_importer("gaspar").execute(other)


def test_a_ppr_table_without_its_family_is_refused(territoire, tmp_path):
    path = write(
        tmp_path,
        "plans.csv",
        "cod_nat_ppr;cod_commune;num_risque;lib_risque;dat_prescription;dat_approbation\n"
        "13DDTM1;13001;140;Inondation;2010-01-01;\n",
    )
    with pytest.raises(ImportRejected, match="Famille du PPR inconnue"):
        get_importer("gaspar").execute(path)


def test_same_key_keeps_the_latest_update_and_the_communes_own_row(territoire, tmp_path):
    text = (
        f"{CATNAT_HEADER}\n"
        "A1;13203;Marseille 3e;ICB;Inondations;2019-01-01;2019-01-02;2019-02-01;2019-02-05;2020-01-01\n"
        "A1;13055;Marseille;ICB;Inondations;2019-01-01;2019-01-02;2019-02-01;2019-02-06;2019-01-01\n"
        "B1;13001;Aix;ICB;Inondations;2019-01-01;2019-01-02;2019-02-01;2019-02-05;2020-01-01 00:00:00\n"
        "B1;13001;Aix;ICB;Inondations;2019-01-01;2019-01-02;2019-02-01;2019-02-07;2021-01-01 00:00:00\n"
        "B1;13001;Aix;ICB;Inondations;2019-01-01;2019-01-02;2019-02-01;2019-02-09;\n"
    )
    summary = get_importer("gaspar").execute(write(tmp_path, "catnat_gaspar.csv", text))
    assert summary.inserted == 2
    assert summary.details["doublons_de_cle"] == 2
    assert summary.details["arrondissements_fusionnes"] == 1
    assert ArreteCatnat.objects.get(commune__insee="13055").dat_pub_jo == date(2019, 2, 6)
    assert ArreteCatnat.objects.get(commune__insee="13001").dat_pub_jo == date(2019, 2, 7)


def test_a_zip_without_any_imported_table_is_refused(territoire, tmp_path):
    path = tmp_path / "gaspar.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / "risq_gaspar.csv", "risq_gaspar.csv")
    with pytest.raises(ImportRejected, match="aucune table GASPAR importable"):
        get_importer("gaspar").execute(path)


def test_the_demo_files_import_through_the_importer(territoire, tmp_path):
    from environnement.demo_gaspar import write_demo_files

    files = write_demo_files(tmp_path)
    assert [kind for kind, _ in files] == ["gaspar"]
    summary = get_importer(files[0][0]).execute(files[0][1])
    assert summary.inserted > 500
    assert ArreteCatnat.objects.values("commune").distinct().count() == territoire.count()
    assert ArreteCatnat.objects.filter(dat_deb__year__lt=1982).count() == 0
    assert PlanPrevention.objects.filter(famille=FamillePpr.PPRT, commune__insee="13014").exists()
    assert summary.details["membres_ignores"]
    assert write_demo_files(tmp_path)[0][1].read_bytes() == files[0][1].read_bytes()  # deterministic


def test_latin1_file_french_dates_and_a_pprt_table_told_by_its_column(territoire, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        (
            "cod_nat_pprt;lib_pprt;num_risque;lib_risque;cod_commune;lib_commune;dat_prescription;dat_approbation\r\n"
            "13DREAL20090004;PPRT Berre-l'Étang;21;Risque industriel;13014;Berre-l'Étang;29/06/2009 00:00;"
            "20/11/2013\r\n"
        ).encode("cp1252")
    )
    calls = []
    summary = get_importer("gaspar").execute(path, progress=lambda done, total: calls.append((done, total)))
    plan = PlanPrevention.objects.get()
    assert (plan.famille, plan.lib_ppr, plan.dat_prescription, plan.dat_approbation, plan.etat) == (
        FamillePpr.PPRT,
        "PPRT Berre-l'Étang",
        date(2009, 6, 29),
        date(2013, 11, 20),
        "Approuvé",
    )
    assert summary.inserted == 1
    assert calls[-1] == (1, 1)


def test_the_zip_uploaded_in_the_admin_is_imported_with_its_summary(client, territoire):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from observatoire.accounts.enums import Role
    from observatoire.imports.models import ImportJob, Statut
    from observatoire.imports.tasks import run_import
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.CHARGE_ETUDES, is_staff=True))
    archive = (FIXTURES / "gaspar_2026-09-21.zip").read_bytes()
    fichier = SimpleUploadedFile("gaspar_2026-09-21.zip", archive, content_type="application/zip")
    response = client.post(reverse("admin:imports_importjob_add"), {"kind": "gaspar", "fichier": fichier})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert run_import(job.pk) == Statut.TERMINE
    job.refresh_from_db()
    assert (job.summary["lues"], job.summary["ajoutees"], job.summary["doublons_exacts"]) == (16, 12, 1)
    assert job.summary["plans_par_famille"] == {"PPRN": 3, "PPRT": 4}


def test_an_older_lower_case_pprt_table_is_read(territoire, tmp_path):
    """Columns of GASPAR's older PPRT table as a public reuser models them (Tryton module
    ``portrait.gaspar_commune_pprt``: COD_NAT_PPRT, COD_COMMUNE, DAT_CLIC, DAT_PRESCRIPTION,
    DAT_MISE_A_ENQUETE, DAT_APPROBATION, DAT_CONV, NUM_RISQUE, LIB_BASSIN_RISQUE)."""
    path = tmp_path / "pprt_gaspar.csv"
    path.write_text(
        "cod_nat_pprt;cod_commune;dat_clic;dat_prescription;dat_mise_a_enquete;dat_approbation;dat_conv;"
        "num_risque;lib_bassin_risque\n"
        "13DREAL20090004;13014;2008-01-15;2009-06-29;2013-03-04;2013-11-20;;215;Étang de Berre\n",
        encoding="utf-8",
    )
    call_command("import_gaspar", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    plan = PlanPrevention.objects.get(cod_nat_ppr="13DREAL20090004")
    assert (plan.famille, plan.dat_approbation) == (FamillePpr.PPRT, date(2013, 11, 20))
