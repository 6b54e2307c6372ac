import pytest

from fiscalite.enums import Element as E
from fiscalite.models import AgregatComptable, CriteresDotation, ElementImposition
from observatoire.territoires.models import Commune


def rei(commune, annee, **values):
    """REI rows of one commune and year: ``secret`` elements are given as None."""
    for element, valeur in values.items():
        ElementImposition.objects.create(
            commune=commune, annee=annee, element=E(element), valeur=valeur, secret=valeur is None
        )


def ofgl(commune, exercice, population=None, **amounts):
    labels = {
        "fonctionnement": "Dépenses de fonctionnement",
        "epargne": "Epargne brute",
        "dette": "Encours de dette",
        "equipement": "Dépenses d'équipement",
        "personnel": "Frais de personnel",
        "recettes": "Recettes de fonctionnement",
    }
    for key, montant in amounts.items():
        AgregatComptable.objects.create(
            commune=commune, exercice=exercice, agregat=labels[key], montant=montant, population=population
        )


@pytest.fixture
def deux_communes(territoire):
    """Aix (population 100 000) and Allauch (20 000), so that hand-computed values stay simple."""
    aix = Commune.objects.get(insee="13001")
    allauch = Commune.objects.get(insee="13002")
    Commune.objects.filter(pk=aix.pk).update(population=100_000)
    Commune.objects.filter(pk=allauch.pk).update(population=20_000)
    aix.population, allauch.population = 100_000, 20_000
    return aix, allauch


@pytest.fixture
def donnees(deux_communes):
    aix, allauch = deux_communes
    rei(aix, 2023, tfb_taux_commune=30.0, tfb_base_commune=300e6, tfb_produit_commune=90e6,
        tfb_taux_epci=2.0, tfb_produit_epci=6e6, tfnb_taux_commune=50.0, tfnb_base_commune=1e6,
        teom_taux=12.0, teom_base=250e6, teom_produit=30e6, cfe_taux_epci=32.0, cfe_base_epci=100e6,
        cfe_produit_epci=32e6, thrs_produit_commune=4e6)  # fmt: skip
    rei(allauch, 2023, tfb_taux_commune=40.0, tfb_base_commune=100e6, tfb_produit_commune=40e6,
        tfb_taux_epci=2.0, tfb_produit_epci=2e6, tfnb_taux_commune=None, tfnb_base_commune=0.5e6,
        teom_taux=16.0, teom_base=50e6, teom_produit=8e6, cfe_taux_epci=32.0, cfe_base_epci=None,
        cfe_produit_epci=None, thrs_produit_commune=0.4e6)  # fmt: skip
    rei(aix, 2022, tfb_taux_commune=29.0, tfb_base_commune=290e6, tfb_taux_epci=2.0, teom_taux=12.0)
    ofgl(aix, 2023, population=110_000, fonctionnement=220e6, epargne=22e6, dette=110e6, equipement=55e6,
         personnel=121e6)  # fmt: skip
    ofgl(allauch, 2023, fonctionnement=20e6, epargne=-1e6, dette=10e6, equipement=4e6, personnel=12e6)
    CriteresDotation.objects.create(
        commune=aix, annee=2024, population_dgf=150_000, potentiel_financier=180e6,
        potentiel_financier_par_habitant=1_200.0, potentiel_financier_moyen_strate=1_000.0, effort_fiscal=1.1,
    )  # fmt: skip
    CriteresDotation.objects.create(
        commune=allauch, annee=2024, population_dgf=25_000, potentiel_financier=20e6,
        potentiel_financier_moyen_strate=1_000.0, effort_fiscal=None,
    )  # fmt: skip
    return aix, allauch
