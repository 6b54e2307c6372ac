"""The groupement's CFE split by fiscal regime (2019–2022 workbooks, OFGL ``varlib``), read as one value."""

import pytest
from django.core.management import CommandError
from openpyxl import Workbook

from fiscalite.enums import Element as E
from fiscalite.models import ElementImposition
from fiscalite.rei_variables import REGIMES, regime_part
from tests.fiscalite.test_rei import FIXTURES, run, stored

IDENTITY = ["DEPARTEMENT", "DIRECTION", "COMMUNE", "Libellé commune"]


def workbook(path, header, *rows):
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def labels(kind, regimes=REGIMES):
    return [f"CFE - INTERCOMMUNALITE / {kind} / {regime}" for regime in regimes]


def test_the_2020_workbook_reads_the_fpu_columns_of_the_metropolis(territoire):
    out = run(FIXTURES / "REI_2020.xlsx")
    assert "7 lignes lues" in out
    assert stored("13001", 2020, E.CFE_TAUX_EPCI) == (32.95, False)
    assert stored("13001", 2020, E.CFE_BASE_EPCI) == (112547800, False)
    assert stored("13055", 2020, E.CFE_PRODUIT_EPCI) == (187401543, False)
    # Saint-Antonin's other regimes are empty: not a secret, the FPU column gives the value.
    assert stored("13090", 2020, E.CFE_BASE_EPCI) == (40100, False)
    assert stored("13090", 2020, E.CFE_TAUX_EPCI) == (32.95, False)


def test_a_zone_regime_takes_the_rate_outside_the_zone_and_sums_the_bases(territoire, tmp_path):
    regimes = REGIMES[2:4]  # fiscalité additionnelle ou FP de zone (hors zone), FPZ en ZAE
    path = workbook(
        tmp_path / "REI_2021.xlsx",
        [*IDENTITY, *labels("BASE", regimes), *labels("TAUX NET", regimes)],
        ["13", "0", "055", "MARSEILLE", 1000, 250, 4.5, 30.1],
        ["13", "0", "001", "AIX-EN-PROVENCE", 800, None, 0, 0],
        ["13", "0", "005", "AUBAGNE", None, None, None, None],
    )
    run(path)
    assert stored("13055", 2021, E.CFE_TAUX_EPCI) == (4.5, False)
    assert stored("13055", 2021, E.CFE_BASE_EPCI) == (1250, False)
    assert stored("13001", 2021, E.CFE_TAUX_EPCI) == (0, False)  # zero everywhere: a zero rate
    assert stored("13001", 2021, E.CFE_BASE_EPCI) == (800, False)
    assert stored("13005", 2021, E.CFE_TAUX_EPCI) == (None, True)  # every regime empty: secret


def test_a_secret_regime_beside_zeros_is_secret_not_zero(territoire, tmp_path):
    """A small commune's FPU base under statistical secrecy, the regimes its groupement does not levy
    at zero: nothing says the base is zero."""
    path = workbook(
        tmp_path / "REI_2021.xlsx",
        [*IDENTITY, *labels("BASE"), *labels("TAUX NET")],
        ["13", "0", "090", "SAINT-ANTONIN-SUR-BAYON", None, 0, 0, 0, 0, 32.95, 0, 0, 0, 0],
        ["13", "0", "046", "GRÉASQUE", None, None, 0, 0, 0, None, 0, 0, 0, 0],
    )
    run(path)
    assert stored("13090", 2021, E.CFE_BASE_EPCI) == (None, True)
    assert stored("13090", 2021, E.CFE_TAUX_EPCI) == (32.95, False)
    assert stored("13046", 2021, E.CFE_TAUX_EPCI) == (None, True)


def test_an_undivided_column_wins_over_its_regimes_and_a_voted_rate_over_a_net_one(territoire, tmp_path):
    path = workbook(
        tmp_path / "REI_2022.xlsx",
        [
            *IDENTITY, "CFE - INTERCOMMUNALITE / BASE", *labels("BASE", REGIMES[:1]),
            "CFE - INTERCOMMUNALITE / TAUX NET", *labels("TAUX VOTE", REGIMES[:1]),
        ],
        ["13", "0", "055", "MARSEILLE", 5000, 4000, 31.0, 32.95],
    )  # fmt: skip
    run(path)
    assert stored("13055", 2022, E.CFE_BASE_EPCI) == (5000, False)
    assert stored("13055", 2022, E.CFE_TAUX_EPCI) == (32.95, False)


def test_ofgl_rows_by_regime_are_read_unless_the_undivided_variable_is_there(territoire, tmp_path):
    voted = "CFE - INTERCOMMUNALITÉ / TAUX VOTÉ"
    rows = [
        "annee;idcom;varlib;valeur;secret_statistique;var",
        f"2024;13055;{voted} / FP UNIQUE;32.95;;",
        f"2024;13055;{voted} / FISCALITÉ ADDITIONNELLE OU FP DE ZONE (HORS ZONE);0;;",
        f"2024;13001;{voted} / FP UNIQUE;30;;",
        f"2024;13001;{voted};32.95;;P32VOTE",
    ]
    path = tmp_path / "rei_ofgl.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    run(path)
    assert stored("13055", 2024, E.CFE_TAUX_EPCI) == (32.95, False)
    assert stored("13001", 2024, E.CFE_TAUX_EPCI) == (32.95, False)


def test_regime_columns_are_known_by_their_prefix_spacing_and_accents_aside():
    part = regime_part("CFE - INTERCOMMUNALITÉ / TAUX VOTÉ / FPE EN ZONE ÉOLIENNE")
    assert (part.element, part.rank, part.order) == (E.CFE_TAUX_EPCI, 0, 4)
    part = regime_part("CFE - INTERCOMMUNALITE /TAUX NET / FISCALITE ADDITIONNELLE OU FP DE ZONE (HORS ZONE)")
    assert (part.element, part.rank, part.order) == (E.CFE_TAUX_EPCI, 1, 2)
    # Another suffix under the prefix (a total, an exempt base) is not one of the regimes to add up.
    assert regime_part("CFE - INTERCOMMUNALITE / BASE / EXONEREE") is None
    assert regime_part("CFE - INTERCOMMUNALITE / BASE") is None  # undivided: a plain variable
    assert regime_part("CFE - INTERCOMMUNALITE /NB ARTICLES / FP UNIQUE") is None  # not kept


def test_a_regimes_repeated_row_is_refused_not_added_up(territoire, tmp_path):
    base = "CFE - INTERCOMMUNALITÉ / BASE / FP UNIQUE"
    rows = [
        "annee;idcom;varlib;valeur;secret_statistique;var",
        f"2024;13055;{base};1000;;",
        f"2024;13055;{base};1000;;",
    ]
    path = tmp_path / "rei_ofgl.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    with pytest.raises(
        CommandError, match=r"ligne 3, colonne varlib : variable « CFE .* déjà lue pour la commune 13055"
    ):
        run(path)
    assert not ElementImposition.objects.exists()


def test_two_columns_of_one_regime_are_one_value(territoire, tmp_path):
    """« PRODUIT REEL » and « PRODUIT REEL NET » name the same yield: the first is read, as for P33."""
    path = workbook(
        tmp_path / "REI_2021.xlsx",
        [*IDENTITY, *labels("PRODUIT REEL NET", REGIMES[:1]), *labels("PRODUIT REEL", REGIMES[:1])],
        ["13", "0", "055", "MARSEILLE", 1000, 1000],
    )
    run(path)
    assert stored("13055", 2021, E.CFE_PRODUIT_EPCI) == (1000, False)
