"""Mobility data in the meta-catalogue: the network stops and the home-to-work flows are open."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.ogc.registry import Collection, Queryable, declare_collection
from observatoire.ogc.tilesets import TileSettings
from observatoire.opendata.sources import (
    INSEE_PATTERN,
    Field,
    NationalSchema,
    Source,
    commune_insee,
    commune_nom,
    declare_dataset,
    declare_source,
    describe,
)

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

YEAR = {"minimum": 1900, "maximum": 2100}

describe(
    "arrets-transport",
    Field("stop_id", "Identifiant de l'arrêt dans le flux GTFS de son réseau (stop_id)", required=True),
    Field("nom", "Nom de l'arrêt (stop_name)", required=True),
    Field("reseau", "Réseau de transport", required=True),
    commune_insee(description="Code officiel géographique (INSEE) de la commune où se trouve l'arrêt"),
    Field(
        "passages_jour_type",
        "Passages à l'arrêt un jour de semaine type, toutes lignes",
        unit="passage",
        required=True,
        minimum=0,
    ),
    Field("lignes", "Lignes desservant l'arrêt (noms courts GTFS séparés par des virgules)"),
    primary_key=("reseau", "stop_id"),
    national_schema=NationalSchema(
        "GTFS (transport.data.gouv.fr)",
        "https://transport.data.gouv.fr/",
        False,
        "Aucun schéma de schema.data.gouv.fr pour les arrêts : le format national des horaires est le GTFS "
        "ou le NeTEx, publiés sur transport.data.gouv.fr. Ce jeu en est une synthèse (un arrêt par ligne, "
        "passages d'un jour type) et n'en suit pas le format.",
    ),
)

describe(
    "flux-domicile-travail",
    commune_insee(
        "commune_residence", "Code officiel géographique (INSEE) de la commune de résidence", required=True
    ),
    commune_nom("nom_residence", "Nom de la commune de résidence", required=True),
    Field(
        "commune_travail",
        "Code du lieu de travail (DCLT du recensement : commune, ou pays pour un emploi à l'étranger)",
        pattern=INSEE_PATTERN,
        required=True,
        example="13055",
    ),
    Field("nom_travail", "Nom du lieu de travail", required=True),
    Field("millesime", "Millésime du recensement", required=True, example="2021", **YEAR),
    Field(
        "actifs",
        "Actifs occupés de 15 ans ou plus résidant dans la première commune et travaillant dans "
        "la seconde (estimation pondérée du recensement, arrondie au dixième)",
        unit="personne",
        required=True,
        minimum=0,
    ),
    primary_key=("commune_residence", "commune_travail", "millesime"),
)

declare_collection(
    Collection(
        id="arrets",
        title="Arrêts de transport en commun",
        description="Arrêts des réseaux de transport en commun (GTFS), avec leurs passages un jour de "
        "semaine type et les lignes qui les desservent.",
        dataset="arrets-transport-en-commun",
        from_sql="mobilite_arret a JOIN mobilite_reseau r ON r.id = a.reseau_id "
        "LEFT JOIN territoires_commune co ON co.id = a.commune_id",
        fid="a.id",
        properties=(
            ("stop_id", "a.stop_id"),
            ("nom", "a.nom"),
            ("reseau", "r.nom"),
            ("commune_insee", "co.insee"),
            ("passages_jour_type", "a.passages"),
            ("lignes", "a.lignes"),
        ),
        geometry="a.geom",
        geometry_type="Point",
        queryables=(
            Queryable("reseau", "r.nom", title="Réseau"),
            Queryable("commune_insee", "co.insee", title="Code INSEE de la commune"),
            Queryable("stop_id", "a.stop_id", title="Identifiant GTFS de l'arrêt"),
        ),
        keywords=("transport en commun", "arrêts", "GTFS"),
        tiles=TileSettings(min_zoom=10, max_zoom=20),
    )
)

declare_collection(
    Collection(
        id="lignes",
        title="Lignes de transport en commun",
        description="Tracés des lignes des réseaux de transport en commun (GTFS), avec leur mode et leurs "
        "courses un jour de semaine type.",
        dataset="arrets-transport-en-commun",
        from_sql="mobilite_ligne l JOIN mobilite_reseau r ON r.id = l.reseau_id",
        fid="l.id",
        properties=(
            ("route_id", "l.route_id"),
            ("nom_court", "l.nom_court"),
            ("nom_long", "l.nom_long"),
            ("reseau", "r.nom"),
            ("type_gtfs", "l.type"),
            ("couleur", "l.couleur"),
            ("courses_jour_type", "l.courses"),
        ),
        geometry="l.geom",
        geometry_type="MultiLineString",
        where="l.geom IS NOT NULL",
        queryables=(
            Queryable("reseau", "r.nom", title="Réseau"),
            Queryable("type_gtfs", "l.type", type="integer", title="Mode (route_type GTFS)"),
            Queryable("nom_court", "l.nom_court", title="Nom court de la ligne"),
        ),
        keywords=("transport en commun", "lignes", "GTFS"),
        tiles=TileSettings(min_zoom=8, max_zoom=18, simplify=((0, 1.0), (14, 0.5), (17, 0))),
    )
)
