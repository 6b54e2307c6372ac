"""Indicators, values and datasets for the site search, shared with the browser test.

DVF prices for Aix-en-Provence in 2021 and 2024 (the latest must be shown), a social housing
indicator with a Marseille value, one indicator for agents only, and the catalogue's datasets
(the DVF one is not published: public search must not show it).
"""

import pytest

from gouvernance.models import JeuDeDonnees
from observatoire.indicateurs.models import Indicateur, Niveau, Valeur
from observatoire.observatoires.enums import Visibilite
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue

COMMON = {"niveaux": [Niveau.COMMUNE, Niveau.EPCI], "source": "DGFiP, Demandes de valeurs foncières"}
INDICATEURS = [
    # code, observatoire, rubrique, libellé, unité, définition
    ("dvf-prix-m2-appartements", "habitat", "marches-immobiliers", "Prix médian au m² des appartements",
     "€/m²", "Médiane de la valeur foncière divisée par la surface, pour les appartements."),
    ("dvf-prix-m2-maisons", "habitat", "marches-immobiliers", "Prix médian au m² des maisons",
     "€/m²", "Médiane de la valeur foncière divisée par la surface, pour les maisons."),
    ("dvf-ventes-maisons", "habitat", "marches-immobiliers", "Ventes de maisons",
     "ventes", "Nombre de mutations de type « maison » de l'année."),
    ("logements-sociaux", "habitat", "parc-existant", "Logements sociaux",
     "logements", "Logements locatifs des bailleurs sociaux (RPLS)."),
    ("part-modale-velo", "mobilite", None, "Part modale du vélo",
     "%", "Part des actifs allant travailler à vélo."),
]  # fmt: skip
VALUES = {
    # code: [(insee, millésime, valeur)]
    "dvf-prix-m2-appartements": [("13001", 2021, 4650.0), ("13001", 2024, 5104.0), ("13055", 2024, 3300.0)],
    "dvf-prix-m2-maisons": [("13001", 2021, 5200.0), ("13001", 2024, 5836.0)],
    "logements-sociaux": [("13055", 2024, 85000.0), ("13001", 2024, 9000.0)],
}


@pytest.fixture
def contenus_recherche(territoire):
    for code, observatoire, rubrique, libelle, unite, definition in INDICATEURS:
        Indicateur.objects.ensure(
            code,
            observatoire=observatoire,
            rubrique=rubrique,
            libelle=libelle,
            unite=unite,
            definition=definition,
            **COMMON,
        )
    Indicateur.objects.ensure(
        "loyer-prive-agents",
        observatoire="habitat",
        rubrique="marches-immobiliers",
        libelle="Prix des loyers privés (agents)",
        unite="€/m²",
        definition="Loyer médian du parc privé.",
        visibilite=Visibilite.AGENTS_ELUS,
        **COMMON,
    )
    communes = {commune.insee: commune for commune in territoire.filter(insee__in=["13001", "13055"])}
    Valeur.objects.upsert(
        [
            Valeur(
                indicateur=Indicateur.objects.get(code=code),
                commune=communes[insee],
                millesime=year,
                valeur=value,
            )
            for code, rows in VALUES.items()
            for insee, year, value in rows
        ]
    )
    sync_catalogue()
    for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique=""):
        publish(jeu)
    return communes
