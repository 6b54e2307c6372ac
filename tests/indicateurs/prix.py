"""An indicator published later than ``taux-vacance`` (2024) and with gaps, to check the dashboard's
choice of millésime and how a missing value is explained.

Aix-en-Provence's 2024 value is stored empty (statistical secrecy, as DVF medians of fewer than
five sales are); Martigues has no value at all (the indicator does not concern it).
``store_values`` also stores the export tests' indicator.
"""

import pytest

from observatoire.indicateurs.models import Indicateur, Niveau, Valeur
from observatoire.territoires.models import Epci

PRIX = {
    "13001": {2022: 4100.0, 2024: None},  # Aix-en-Provence
    "13055": {2021: 2900.0, 2022: 3000.0, 2024: 3300.0},  # Marseille
    "epci": {2022: 3200.0, 2024: 3500.0},
}


@pytest.fixture
def prix(indicateurs, territoire):
    indicateur = Indicateur.objects.ensure(
        "prix-appartements",
        observatoire="habitat",
        rubrique="marches-immobiliers",
        libelle="Prix médian au m² des appartements",
        unite="€/m²",
        definition="Médiane des prix au m² des ventes d'appartements.",
        source="DVF",
        niveaux=[Niveau.COMMUNE, Niveau.EPCI],
        dernier_millesime=2024,
    )
    store_values(indicateur, territoire, PRIX)
    return indicateur


def store_values(indicateur, territoire, by_place):
    """Stores ``by_place``: {INSEE code, or "epci" for the metropolis: {year: value}}."""
    epci = Epci.objects.get(siren="200054807")
    communes = {c.insee: c for c in territoire.filter(insee__in=by_place)}
    Valeur.objects.upsert(
        [
            Valeur(
                indicateur=indicateur,
                millesime=year,
                valeur=value,
                **({"epci": epci} if place == "epci" else {"commune": communes[place]}),
            )
            for place, years in by_place.items()
            for year, value in years.items()
        ]
    )
