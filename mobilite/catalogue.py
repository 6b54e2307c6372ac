"""Mobility data in the meta-catalogue: the network stops and the home-to-work flows are open."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import Source, declare_dataset, declare_source

PRODUCTEUR = "Métropole d'Aix-Marseille-Provence, observatoire de la mobilité"

declare_source(
    Source(
        "arrets-transport",
        """
        SELECT a.stop_id, a.nom, r.nom AS reseau, co.insee AS commune_insee, a.passages AS passages_jour_type,
               a.lignes, ST_Transform(a.geom, 4326) AS geom
        FROM mobilite_arret a JOIN mobilite_reseau r ON r.id = a.reseau_id
        LEFT JOIN territoires_commune co ON co.id = a.commune_id
        ORDER BY r.nom, a.stop_id
        """,
        geometry="point",
    )
)
declare_dataset(
    "arrets-transport-en-commun",
    titre="Arrêts de transport en commun et niveau de desserte",
    description=(
        "Arrêts des réseaux de transport en commun de la métropole avec le nombre de passages un jour "
        "de semaine type et les lignes qui les desservent, calculés depuis les flux GTFS."
    ),
    theme=Theme.MOBILITE,
    mots_cles=["transport en commun", "arrêts", "GTFS", "desserte"],
    producteur=PRODUCTEUR,
    source="Flux GTFS des réseaux de transport",
    frequence=Frequence.MONTHLY,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="arrets-transport",
)

declare_source(
    Source(
        "flux-domicile-travail",
        """
        SELECT co.insee AS commune_residence, co.nom AS nom_residence, f.code_travail AS commune_travail,
               f.libelle_travail AS nom_travail, f.millesime, round(f.actifs::numeric, 1) AS actifs
        FROM mobilite_flux f JOIN territoires_commune co ON co.id = f.commune_id
        ORDER BY f.millesime, co.insee, f.code_travail
        """,
    )
)
declare_dataset(
    "flux-domicile-travail",
    titre="Déplacements domicile-travail entre communes",
    description="Actifs occupés par commune de résidence et commune de travail, pour la métropole.",
    theme=Theme.MOBILITE,
    mots_cles=["domicile-travail", "navettes", "flux", "recensement"],
    producteur=PRODUCTEUR,
    source="INSEE, recensement : mobilités professionnelles",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="flux-domicile-travail",
)
