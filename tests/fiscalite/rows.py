"""A few rows in each fiscalité table, secret cells and a negative saving included, for the open-data
tests (tests/opendata) and this app's catalogue test."""

from fiscalite.models import AgregatComptable, CriteresDotation, ElementImposition
from observatoire.territoires.models import Epci


def fill_fiscalite(aix, marseille):
    ElementImposition.objects.create(commune=aix, annee=2023, element="tfb_taux_commune", valeur=29.9)
    ElementImposition.objects.create(
        commune=marseille, annee=2023, element="teom_taux", valeur=None, secret=True
    )
    AgregatComptable.objects.create(
        commune=aix, exercice=2023, agregat="Epargne brute", montant=-1_250_000.5, population=147_000
    )
    AgregatComptable.objects.create(
        epci=Epci.objects.get(siren="200054807"), exercice=2023, agregat="Encours de dette", montant=2.1e9
    )
    CriteresDotation.objects.create(
        commune=aix, annee=2024, population_dgf=150_123, strate="100 000 habitants et plus",
        potentiel_financier=180e6, potentiel_financier_par_habitant=1_199.0,
        potentiel_financier_moyen_strate=1_310.5, effort_fiscal=1.02,
    )  # fmt: skip
    CriteresDotation.objects.create(commune=marseille, annee=2024)  # every criterion unknown: empty cells
