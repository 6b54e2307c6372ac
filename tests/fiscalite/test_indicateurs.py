import pytest

from fiscalite.indicateurs import recompute
from fiscalite.models import ElementImposition
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.territoires.models import Epci

from .conftest import ofgl


def value(code, *, commune=None, epci=None, millesime):
    rows = Valeur.objects.filter(indicateur__code=code, commune=commune, epci=epci, millesime=millesime)
    return rows.values_list("valeur", flat=True).first()


@pytest.fixture
def metropole(territoire):
    return Epci.objects.get(siren="200054807")


def test_voted_rates_per_commune_and_base_weighted_for_the_metropolis(donnees, metropole):
    aix, _ = donnees
    recompute()
    assert value("taux-tfb-commune", commune=aix, millesime=2023) == 30.0
    assert value("taux-tfb-commune", commune=aix, millesime=2022) == 29.0
    # (30 × 300 M + 40 × 100 M) / 400 M: Aix weighs three times Allauch.
    assert value("taux-tfb-commune", epci=metropole, millesime=2023) == pytest.approx(32.5)
    assert value("taux-teom", epci=metropole, millesime=2023) == pytest.approx((12 * 250 + 16 * 50) / 300)
    assert value("taux-tfb-groupement", epci=metropole, millesime=2023) == pytest.approx(2.0)
    # Allauch's CFE base is secret: the metropolis' rate leans on Aix alone, not on a zero weight.
    assert value("taux-cfe-groupement", epci=metropole, millesime=2023) == pytest.approx(32.0)


def test_a_secret_cell_is_never_zero(donnees, metropole):
    aix, allauch = donnees
    recompute()
    assert not Valeur.objects.filter(indicateur__code="taux-tfnb", commune=allauch).exists()
    assert value("taux-tfnb", epci=metropole, millesime=2023) == 50.0  # Allauch left out, not averaged as 0
    # Allauch's CFE yield is secret: its total yield is unknown, not 50 M€.
    assert value("produit-fiscal-par-habitant", commune=allauch, millesime=2023) is None
    # Aix: (90 + 6 + 30 + 32 + 4 THRS) M€ / 100 000 inhabitants.
    assert value("produit-fiscal-par-habitant", commune=aix, millesime=2023) == pytest.approx(1_620)
    assert value("produit-fiscal-par-habitant", epci=metropole, millesime=2023) == pytest.approx(1_620)


def test_bases_and_thrs_per_inhabitant(donnees, metropole):
    aix, allauch = donnees
    recompute()
    assert value("base-tfb-par-habitant", commune=aix, millesime=2023) == pytest.approx(3_000)
    assert value("base-tfb-par-habitant", commune=allauch, millesime=2023) == pytest.approx(5_000)
    assert value("base-tfb-par-habitant", epci=metropole, millesime=2023) == pytest.approx(400e6 / 120_000)
    assert value("produit-thrs-par-habitant", commune=allauch, millesime=2023) == pytest.approx(20)
    assert value("produit-thrs-par-habitant", commune=aix, millesime=2022) is None  # no THRS row


def test_finances_per_inhabitant_with_the_ofgl_population(donnees, metropole):
    aix, allauch = donnees
    recompute()
    # Aix's row carries the OFGL population (110 000); Allauch's has none: the commune's (20 000).
    assert value("depenses-fonctionnement-par-habitant", commune=aix, millesime=2023) == pytest.approx(2_000)
    allauch_value = value("depenses-fonctionnement-par-habitant", commune=allauch, millesime=2023)
    assert allauch_value == pytest.approx(1_000)
    assert value("depenses-fonctionnement-par-habitant", epci=metropole, millesime=2023) == pytest.approx(
        240e6 / 130_000
    )
    assert value("epargne-brute-par-habitant", commune=allauch, millesime=2023) == pytest.approx(-50)
    assert value("encours-dette-par-habitant", commune=aix, millesime=2023) == pytest.approx(1_000)
    assert value("depenses-equipement-par-habitant", commune=aix, millesime=2023) == pytest.approx(500)
    assert value("part-frais-personnel", commune=aix, millesime=2023) == pytest.approx(55)
    assert value("part-frais-personnel", epci=metropole, millesime=2023) == pytest.approx(133 / 240 * 100)


def test_debt_capacity_is_undefined_without_positive_savings(donnees, metropole):
    aix, allauch = donnees
    recompute()
    assert value("capacite-desendettement", commune=aix, millesime=2023) == pytest.approx(5)
    assert value("capacite-desendettement", commune=allauch, millesime=2023) is None
    assert value("capacite-desendettement", epci=metropole, millesime=2023) == pytest.approx(120 / 21)
    assert Indicateur.objects.get(code="capacite-desendettement").unite == "années"
    assert "nulle ou négative" in Indicateur.objects.get(code="capacite-desendettement").methode


def test_agregat_labels_are_matched_tolerantly(deux_communes):
    aix, _ = deux_communes
    ofgl(aix, 2021, population=100_000, epargne=1e6)
    from fiscalite.models import AgregatComptable

    AgregatComptable.objects.filter(commune=aix).update(agregat="ÉPARGNE  BRUTE")
    recompute()
    assert value("epargne-brute-par-habitant", commune=aix, millesime=2021) == pytest.approx(10)


def test_potentiel_financier_and_stratum(donnees, metropole):
    aix, allauch = donnees
    recompute()
    assert value("potentiel-financier-par-habitant", commune=aix, millesime=2024) == 1_200
    assert value("potentiel-financier-par-habitant", commune=allauch, millesime=2024) == pytest.approx(800)
    assert value("potentiel-financier-par-habitant", epci=metropole, millesime=2024) == pytest.approx(
        200e6 / 175_000
    )
    assert value("ecart-potentiel-financier-strate", commune=aix, millesime=2024) == pytest.approx(20)
    assert value("ecart-potentiel-financier-strate", commune=allauch, millesime=2024) == pytest.approx(-20)
    assert value("effort-fiscal", commune=aix, millesime=2024) == 1.1
    assert not Valeur.objects.filter(indicateur__code="effort-fiscal", commune=allauch).exists()


def test_recompute_is_idempotent_and_drops_stale_values(donnees):
    aix, _ = donnees
    first = recompute()
    assert first == recompute()
    indicateurs = Indicateur.objects.filter(observatoire__slug="fiscalite")
    assert indicateurs.count() >= 17
    assert {i.rubrique.slug for i in indicateurs} == {"taux-et-bases", "finances-communales", "dotations"}
    assert {i.unite for i in indicateurs} <= {"%", "€/hab.", "années", "coefficient"}
    ElementImposition.objects.filter(annee=2022).delete()
    recompute()
    assert value("taux-tfb-commune", commune=aix, millesime=2022) is None
    assert Indicateur.objects.get(code="taux-tfb-commune").dernier_millesime == 2023
