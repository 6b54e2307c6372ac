"""The one formatting layer: French numbers, percentages, points, ordinals, dates and plurals."""

import datetime

import pytest
from django.template import Context, Template

from observatoire.core import formats
from observatoire.indicateurs.formats import format_change, format_evolution, format_valeur, rounded_valeur
from observatoire.indicateurs.models import Indicateur

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1878061, 0, f"1{NNBSP}878{NNBSP}061"),
        (7.456, 2, "7,46"),
        (7.5, 2, "7,5"),
        (9.0, 2, "9"),
        (-1234, 0, f"{MINUS}1{NNBSP}234"),
        (-0.04, 1, "0"),  # never « −0 »
    ],
)
def test_numbers(value, decimals, shown):
    assert formats.format_number(value, decimals) == shown


def test_a_change_that_rounds_to_zero_has_no_sign():
    assert format_evolution(-0.04) == f"0{NBSP}%"
    assert format_evolution(11.06) == f"+11,1{NBSP}%"
    assert format_evolution(-3.25) == f"{MINUS}3,2{NBSP}%"


def test_points_for_the_change_of_a_rate():
    assert formats.format_points(0.7) == f"+0,7{NBSP}point"
    assert formats.format_points(-2) == f"{MINUS}2{NBSP}points"
    rate = Indicateur(unite="%")
    assert format_change(rate, 8.2, 7.5) == f"+0,7{NBSP}point"
    price = Indicateur(unite="€/m²")
    assert format_change(price, 3300, 3000) == f"+10{NBSP}%"


def test_ordinals_and_dates():
    assert formats.ordinal(1) == "1er"
    assert formats.ordinal(2) == "2e"
    assert formats.format_date(datetime.date(2026, 12, 1)) == "1er décembre 2026"
    assert formats.format_date(datetime.date(2026, 11, 25), short=True) == "25 nov. 2026"
    assert formats.format_date(datetime.date(2026, 12, 1), weekday=True) == "mardi 1er décembre 2026"


def test_plurals_and_elision():
    assert formats.count_of(0, "jeu", "jeux") == "0 jeu"
    assert formats.count_of(2, "jeu", "jeux") == "2 jeux"
    assert formats.de("appartements") == "d'appartements"
    assert formats.de("maisons") == "de maisons"


def test_indicator_values_round_as_the_page_shows_them():
    assert format_valeur(481287.80488) == f"481{NNBSP}288"
    assert rounded_valeur(481287.80488) == 481288
    assert rounded_valeur(994329.0811600001) == 994329
    assert rounded_valeur(14.256) == 14.26
    assert rounded_valeur(-0.004) == 0
    assert rounded_valeur(None) is None


def render(text, **context):
    return Template("{% load portal %}" + text).render(Context(context))


def test_template_filters():
    day = datetime.date(2026, 12, 1)
    assert render("{{ d|date_fr }}", d=day) == "1er décembre 2026"
    assert render('{{ d|date_fr:"court" }}', d=datetime.date(2026, 11, 25)) == "25 nov. 2026"
    assert render("{{ r|ordinal }} sur 92", r=1) == "1<sup>er</sup> sur 92"
    assert render('{{ n }} jeu{{ n|pluriel:"x" }}', n=0) == "0 jeu"
    assert render('{{ n }} jeu{{ n|pluriel:"x" }}', n=3) == "3 jeux"
    assert render('{{ n|pluriel:"est,sont" }}', n=1) == "est"
    assert render("{{ v|points }}", v=0.7) == f"+0,7{NBSP}point"
    assert render("{{ v|decimales:1 }} j", v=3.0) == "3,0 j"
    assert render("{{ v|decimales:-1 }} j", v=3.0) == "3 j"
    assert render("{{ v|decimales:1 }} ha", v=1234.56) == f"1{NNBSP}234,6 ha"
    assert render("{{ v|decimales:1 }}", v=-0.02) == "0,0"  # not « −0,0 »


def test_a_year_is_written_as_a_year_whatever_its_size():
    assert format_valeur(2026.0, "année") == "2026"
    assert format_valeur(2026.0, "logements") == format_valeur(2026.0)
    assert format_valeur(None, "année") == "—"


def test_the_key_figure_of_a_year_indicator_reads_as_a_year(client, territoire):
    from observatoire.indicateurs.models import Indicateur, Valeur

    indicateur = Indicateur.objects.ensure(
        "annee-test",
        observatoire="environnement",
        rubrique="risques",
        libelle="Année du dernier fait",
        unite="année",
        definition="Test.",
        source="Test",
        niveaux=["commune", "epci"],
    )
    epci = territoire.first().epci
    Valeur.objects.create(indicateur=indicateur, epci=epci, millesime=2026, valeur=2025)
    Indicateur.objects.filter(pk=indicateur.pk).refresh_dernier_millesime()
    page = client.get("/observatoires/environnement/").content.decode()
    assert "<strong>2025</strong>" in page and "2\u202f025" not in page and "2 025" not in page
