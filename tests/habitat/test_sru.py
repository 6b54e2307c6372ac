import pytest
from django.core.management import call_command

from habitat.indicateurs import recompute
from observatoire.indicateurs.models import Indicateur, Valeur
from tests.habitat.test_rpls import HEADER, workbook

CENSUS = (
    "CODGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC;P15_LOG;P15_RP;P15_RSECOCC;P15_LOGVAC\n"
    "13001;80000;70000;4000;6000;76000;67000;3500;5500\n"
    "13028;1200;1000.4;100;99.6;1100;950;80;70\n"  # La Ciotat, made small to test the rounding
    "13090;60;50;5;5;55;45;5;5\n"  # Saint-Antonin-sur-Bayon: 124 inhabitants
)


def rpls(tmp_path, year, rows):
    titles = [["RPLS"], [f"Parc locatif social au 1er janvier {year}"], [], [], []]
    full = [[code, "", "13", "93", nb_ls] + [0] * (len(HEADER) - 5) for code, nb_ls in rows]
    return workbook(tmp_path, rows=full, titles=titles, name=f"rpls{year}.xlsx")


def sru(code, millesime, **territory):
    return Valeur.objects.get(indicateur__code=code, millesime=millesime, **territory).valeur


@pytest.fixture
def imported(territoire, tmp_path):
    census = tmp_path / "base-cc-logement.csv"
    census.write_text(CENSUS)
    call_command("import_insee_logement", str(census), verbosity=0)
    rows = [("13001", 14000), ("13028", 200), ("13090", 3), ("13201", 90000)]
    call_command("import_rpls", rpls(tmp_path, 2024, rows), verbosity=0)
    call_command("import_rpls", rpls(tmp_path, 2018, [("13001", 13000)]), verbosity=0)
    call_command("import_rpls", rpls(tmp_path, 2014, [("13001", 12000)]), verbosity=0)
    recompute()


def test_rate_and_deficit_against_hand_computed_values(imported):
    assert sru("taux-sru", 2024, commune__insee="13001") == pytest.approx(20.0)  # 14 000 / 70 000
    assert sru("deficit-sru", 2024, commune__insee="13001") == 3500  # 17 500 − 14 000
    assert sru("taux-sru", 2024, commune__insee="13028") == pytest.approx(200 / 1000.4 * 100)
    assert sru("deficit-sru", 2024, commune__insee="13028") == 51  # ⌈250.1⌉ − 200
    # Under 3 500 inhabitants: a rate, no legal obligation hence no deficit.
    assert sru("taux-sru", 2024, commune__insee="13090") == pytest.approx(6.0)
    assert not Valeur.objects.filter(indicateur__code="deficit-sru", commune__insee="13090").exists()
    # Marseille has social housing but no census row here: no estimate rather than a wrong one.
    assert not Valeur.objects.filter(indicateur__code="taux-sru", commune__insee="13055").exists()
    metro = sru("taux-sru", 2024, epci__siren="200054807")
    assert metro == pytest.approx((14000 + 200 + 3) / (70000 + 1000.4 + 50) * 100)
    assert sru("deficit-sru", 2024, epci__siren="200054807") == 3551


def test_latest_census_not_after_the_rpls_year_is_used(imported):
    assert sru("taux-sru", 2018, commune__insee="13001") == pytest.approx(13000 / 67000 * 100)  # P15
    assert sru("deficit-sru", 2018, commune__insee="13001") == 16750 - 13000
    assert not Valeur.objects.filter(indicateur__code="taux-sru", millesime=2014).exists()  # no census yet


def test_the_method_says_it_is_an_estimate(imported):
    for code in ("taux-sru", "deficit-sru"):
        indicateur = Indicateur.objects.get(code=code)
        assert "Estimation" in indicateur.methode and "inventaire SRU" in indicateur.methode
        assert indicateur.dernier_millesime == 2024


def test_zero_deficit_when_the_target_is_met(territoire, tmp_path):
    census = tmp_path / "census.csv"
    census.write_text(CENSUS)
    call_command("import_insee_logement", str(census), verbosity=0)
    call_command("import_rpls", rpls(tmp_path, 2024, [("13001", 20000)]), verbosity=0)
    recompute()
    assert sru("deficit-sru", 2024, commune__insee="13001") == 0
