"""Indicators with hand-picked values, so that pages and exports can be checked to the unit.

``taux-vacance`` is public; ``loyer-median`` is for metropolitan agents and élus only. Three
communes have values for 2022 and 2023; the metropolis (EPCI) has its own value.
"""

import pytest

from observatoire.indicateurs.models import Indicateur, Niveau, Valeur
from observatoire.observatoires.enums import Visibilite
from observatoire.territoires.models import Epci

VALUES = {
    # code: {insee or "epci": {year: value}}
    "taux-vacance": {
        "13001": {2022: 6.0, 2023: 7.5},  # Aix-en-Provence
        "13055": {2022: 10.0, 2023: 9.0},  # Marseille
        "13056": {2022: 5.0, 2023: 5.0},  # Martigues
        "epci": {2022: 8.0, 2023: 8.4},
    },
    "loyer-median": {
        "13001": {2023: 14.2},
        "13055": {2023: 12.5},
        "epci": {2023: 13.1},
    },
}


@pytest.fixture
def indicateurs(territoire):
    made = {
        "taux-vacance": Indicateur.objects.ensure(
            "taux-vacance",
            observatoire="habitat",
            rubrique="parc-existant",
            libelle="Taux de logements vacants",
            unite="%",
            definition="Part des logements vacants dans le parc.",
            source="Insee, recensement",
            niveaux=[Niveau.COMMUNE, Niveau.EPCI],
            dernier_millesime=2023,
        ),
        "loyer-median": Indicateur.objects.ensure(
            "loyer-median",
            observatoire="habitat",
            rubrique="marches-immobiliers",
            libelle="Loyer médian",
            unite="€/m²",
            definition="Loyer médian au mètre carré.",
            source="Observatoire local des loyers",
            niveaux=[Niveau.COMMUNE, Niveau.EPCI],
            visibilite=Visibilite.AGENTS_ELUS,
            dernier_millesime=2023,
        ),
    }
    epci = Epci.objects.get(siren="200054807")
    communes = {c.insee: c for c in territoire.filter(insee__in=["13001", "13055", "13056"])}
    valeurs = []
    for code, by_place in VALUES.items():
        for place, years in by_place.items():
            for year, value in years.items():
                where = {"epci": epci} if place == "epci" else {"commune": communes[place]}
                valeurs.append(Valeur(indicateur=made[code], millesime=year, valeur=value, **where))
    Valeur.objects.upsert(valeurs)
    return made
