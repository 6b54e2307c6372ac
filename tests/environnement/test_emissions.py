"""The regional emissions inventory importer: CIGALE's long export, a wide file, versions, units."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from environnement.emissions import EmissionsImporter, unit_factor, version_from_name
from environnement.models import EmissionCommune
from observatoire.imports.base import ImportRejected

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "emissions"


def run(name, *args):
    out = io.StringIO()
    call_command("import_emissions_air", str(FIXTURES / name), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row(insee, annee, secteur, polluant, version):
    return EmissionCommune.objects.get(
        commune__insee=insee, annee=annee, secteur=secteur, polluant=polluant, version=version
    )


@pytest.mark.parametrize(
    ("raw", "factor", "greenhouse"),
    [("kg", 1e-3, False), ("t", 1.0, False), ("kt", 1e3, False), ("kg eq.CO2", 1e-3, True),
     ("t éq. CO2", 1.0, True), ("kteqCO2", 1e3, True), ("t CO2e", 1.0, True)],
)  # fmt: skip
def test_units_convert_to_tonnes(raw, factor, greenhouse):
    assert unit_factor(raw) == (factor, greenhouse)


@pytest.mark.parametrize(
    ("name", "version"),
    [("cigale_inventaire_v2023_communes.csv", "v2023"), ("inventaire-2022.csv", "v2022"),
     ("export_cigale_v11_2.csv", "v11.2"), ("extraction_cigale_communes.csv", None),
     ("/srv/exports-v2/emissions.csv", None)],
)  # fmt: skip
def test_the_version_is_read_in_the_file_name(name, version):
    assert version_from_name(name) == version


def test_cigale_long_export_sums_energies_converts_units_and_keeps_secrecy(territoire):
    out = run("cigale_inventaire_v2023_communes.csv")
    assert "11 lignes lues, 9 ajoutées, 0 mises à jour, 1 hors du territoire" in out
    nox = row("13001", 2021, "Transport routier", "NOx", "v2023")
    assert nox.valeur == pytest.approx(612.4503) and nox.unite == "t"
    pm25 = row("13001", 2021, "Résidentiel", "PM2.5", "v2023")
    assert pm25.valeur == pytest.approx(61.6325)  # wood and gas rows of the sector added up
    ges = row("13001", 2021, "Résidentiel", "GES", "v2023")
    assert ges.valeur == pytest.approx(98450.21) and ges.unite == "t éq. CO2"
    secret = row("13001", 2021, "Industrie (hors branche énergie)", "NOx", "v2023")
    assert secret.valeur is None and secret.unite == "secret statistique"
    assert "0 ajoutées, 9 mises à jour" in run("cigale_inventaire_v2023_communes.csv")


def test_wide_file_with_units_in_the_header(territoire):
    out = run("emissions_communes_inventaire_v2022_large.csv")
    assert "4 lignes lues, 16 ajoutées" in out
    ges = row("13039", 2020, "Industrie (hors branche énergie)", "GES", "v2022")
    assert ges.valeur == pytest.approx(7_850_300.0) and ges.unite == "t éq. CO2"
    assert row("13039", 2020, "Transport routier", "GES", "v2022").valeur is None
    assert row("13056", 2020, "Branche énergie", "PM2.5", "v2022").valeur == pytest.approx(20.4)


def test_a_new_release_keeps_the_previous_one(territoire):
    run("extraction_cigale_communes.csv", "--version", "v2022")
    run("extraction_cigale_communes.csv", "--version", "v2023")
    assert sorted(EmissionCommune.objects.values_list("version", flat=True).distinct()) == ["v2022", "v2023"]
    assert EmissionCommune.objects.count() == 4


def test_a_file_without_version_is_refused_in_french(territoire):
    with pytest.raises(CommandError) as refused:
        run("extraction_cigale_communes.csv")
    assert "Version de l'inventaire inconnue" in str(refused.value) and "--version" in str(refused.value)
    assert not EmissionCommune.objects.exists()


def test_a_version_column_is_read(territoire, tmp_path):
    path = tmp_path / "emissions.csv"
    path.write_text(
        "version;annee;code_insee;secteur;polluant;valeur;unite\n"
        "AtmoSud v2024;2022;13005;Tertiaire;nox;12.5;t\n",
        encoding="utf-8",
    )
    summary = EmissionsImporter().execute(path)
    assert summary.details["version"] == "AtmoSud v2024"


@pytest.mark.parametrize(
    ("code", "unit", "error"),
    [
        ("13005", "livres", "ligne 2, colonne unite : unité « livres » inconnue"),
        ("13005.5", "t", "ligne 2, colonne id entite : code commune INSEE invalide « 13005.5 »."),
    ],
)
def test_an_unknown_unit_or_a_wrong_code_names_line_and_column(territoire, tmp_path, code, unit, error):
    path = tmp_path / "inventaire_v2023.csv"
    path.write_text(
        "Année;Entité administrative;Id Entité;Activité;Energie;Variable;Valeur;Unite\n"
        f"2021;Aubagne (13);{code};Transport routier;Toutes énergies;nox;154320.6;{unit}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        EmissionsImporter().execute(path)
    assert len(refused.value.errors) == 1 and refused.value.errors[0].startswith(error)


def test_a_file_naming_communes_without_codes_is_refused_with_advice(territoire, tmp_path):
    path = tmp_path / "inventaire_v2023.csv"
    path.write_text(
        "Année;Entité administrative;Activité;Energie;Variable;Valeur;Unite\n"
        "2021;Aubagne;Transport routier;Toutes énergies;nox;154320.6;kg\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        EmissionsImporter().execute(path)
    assert "Id Entité" in str(refused.value)


def test_dry_run_writes_nothing(territoire):
    out = run("cigale_inventaire_v2023_communes.csv", "--dry-run")
    assert out.startswith("Simulation") and "9 ajoutées" in out
    assert not EmissionCommune.objects.exists()


def test_the_admin_upload_offers_one_kind_per_release(territoire, tmp_path):
    from observatoire.imports.base import choices, get_importer

    offered = dict(choices())
    assert any(kind.startswith("emissions_air:v20") for kind in offered)
    assert offered["emissions_air"].endswith("version lue dans le fichier ou son nom")
    path = tmp_path / "tmpab12xyz.csv"  # a copy whose name gives no release
    path.write_bytes((FIXTURES / "extraction_cigale_communes.csv").read_bytes())
    summary = get_importer("emissions_air:v2023").execute(path)
    assert summary.details["version"] == "v2023"
    with pytest.raises(KeyError):
        get_importer("emissions_air:2023; drop")


def test_an_atmo_index_given_here_is_named_with_its_import(territoire):
    index = FIXTURES.parent / "atmo" / "indice_atmo_national_2024.csv"
    with pytest.raises(ImportRejected) as refused:
        EmissionsImporter(version="v2023").execute(index)
    assert "import_indice_atmo" in str(refused.value)


def test_arrondissements_add_up_unless_marseille_has_its_row_and_codes_are_padded(territoire, tmp_path):
    path = tmp_path / "inventaire_v2023.csv"
    path.write_text(
        "Année;Entité administrative;Id Entité;Activité;Energie;Variable;Valeur;Unite\n"
        "2021;Marseille 1er;13201;Résidentiel;Toutes énergies;nox;10;t\n"
        "2021;Marseille 2e;13202;Résidentiel;Toutes énergies;nox;5;t\n"
        "2021;Marseille 1er;13201;Tertiaire;Toutes énergies;nox;9;t\n"
        "2021;Marseille;13055;Tertiaire;Toutes énergies;nox;600;t\n"
        "2021;Aubagne;13005.0;Tertiaire;Gaz;nox;1;t\n"
        "2021;Aubagne;13005.0;Tertiaire;Électricité;nox;2;t\n",
        encoding="utf-8",
    )
    summary = EmissionsImporter().execute(path)
    assert row("13055", 2021, "Résidentiel", "NOx", "v2023").valeur == 15.0
    assert row("13055", 2021, "Tertiaire", "NOx", "v2023").valeur == 600.0
    assert row("13005", 2021, "Tertiaire", "NOx", "v2023").valeur == 3.0
    assert summary.details["arrondissements_ignores"] == 1


def test_the_file_cigale_downloads_is_read_below_its_title_and_conditions_of_use(territoire):
    """BOM, title naming the release, conditions of use, then a quoted comma table (``extraction.js``)."""
    out = run("AtmoSud - Export CIGALE du 2026-03-14 102231.csv")
    assert "6 lignes lues" in out
    nox = row("13055", 2022, "Transport routier", "NOx", "v11.2")  # the release of the title line
    assert nox.valeur == pytest.approx(2410.5629) and nox.unite == "t"
    ges = row("13001", 2022, "Transport routier", "GES", "v11.2")
    assert ges.valeur == pytest.approx(301245.8804) and ges.unite == "t éq. CO2"
    assert row("13055", 2022, "Industrie hors branche énergie", "NOx", "v11.2").valeur is None
    assert set(EmissionCommune.objects.values_list("version", flat=True)) == {"v11.2"}
    # --version still wins over the title.
    assert "ajoutées" in run("AtmoSud - Export CIGALE du 2026-03-14 102231.csv", "--version", "v11.3")
    releases = EmissionCommune.objects.values_list("version", flat=True)
    assert releases.filter(version="v11.3").count() == releases.filter(version="v11.2").count() == 6


def test_an_error_below_the_preamble_names_the_line_a_text_editor_shows(territoire, tmp_path):
    source = (FIXTURES / "AtmoSud - Export CIGALE du 2026-03-14 102231.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "export.csv"
    path.write_text(source.replace('"512340.2"', '"512340,2,"'), encoding="utf-8-sig")
    with pytest.raises(CommandError) as refused:
        call_command("import_emissions_air", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    # Title, blank, 8 lines of conditions and a blank above the header (line 12): the first row is 13.
    assert "ligne 13, colonne valeur : valeur « 512340,2, » illisible." in str(refused.value)


def test_a_header_of_plain_names_is_found_below_a_preamble_too(territoire, tmp_path):
    """A wide table (one column per pollutant) under a title line: found by its code or year column."""
    path = tmp_path / "emissions_inventaire_v2024.csv"
    lines = ["Inventaire des émissions - extraction du 2026-02-01", "", "insee;an;secteur;NOx (t);PM10 (t)"]
    path.write_text("\n".join([*lines, "13001;2022;Tertiaire;12,5;1,5", ""]), encoding="utf-8")
    assert "2 ajoutées" in run(path)
    assert row("13001", 2022, "Tertiaire", "NOx", "v2024").valeur == pytest.approx(12.5)
