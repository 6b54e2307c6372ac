"""The foncier data: planning zones and land consumption are open; the gisements inventory is not."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import (
    Field,
    NationalSchema,
    Source,
    commune_insee,
    commune_nom,
    declare_dataset,
    declare_source,
    describe,
)

PRODUCTEUR = "Métropole d'Aix-Marseille-Provence, observatoire du foncier"

declare_source(
    Source(
        "zones-plui",
        """
        SELECT z.idurba, z.libelle, z.libelong, z.typezone, z.destdomi, z.insee AS commune_insee,
               round(z.surface_m2) AS surface_m2, z.datappro, ST_Transform(z.geom, 4326) AS geom
        FROM foncier_zoneplu z ORDER BY z.insee, z.libelle
        """,
        geometry="polygon",
    )
)
declare_dataset(
    "zonage-plui",
    titre="Zonage des plans locaux d'urbanisme intercommunaux",
    description="Zones urbaines, à urbaniser, agricoles et naturelles des PLUi, au standard CNIG.",
    theme=Theme.FONCIER,
    mots_cles=["PLUi", "urbanisme", "zonage", "zones à urbaniser"],
    producteur=PRODUCTEUR,
    source="PLUi approuvés (standard CNIG, couche zone_urba)",
    frequence=Frequence.IRREG,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="zones-plui",
)

declare_source(
    Source(
        "consommation-espaces",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, c.annee, c.total_ha, c.activite_ha,
               c.habitat_ha, c.mixte_ha, c.routes_ha, c.ferroviaire_ha, c.inconnu_ha
        FROM foncier_consommationespace c JOIN territoires_commune co ON co.id = c.commune_id
        ORDER BY c.annee, co.insee
        """,
    )
)
declare_dataset(
    "consommation-espaces-naf",
    titre="Consommation d'espaces naturels, agricoles et forestiers par commune",
    description=(
        "Hectares d'espaces naturels, agricoles et forestiers consommés chaque année par commune, par "
        "destination (habitat, activité, mixte, routes, ferroviaire), base de la trajectoire ZAN."
    ),
    theme=Theme.FONCIER,
    mots_cles=["ZAN", "artificialisation", "consommation d'espace", "ENAF"],
    producteur=PRODUCTEUR,
    source="Cerema, portail de l'artificialisation des sols (fichiers fonciers)",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="consommation-espaces",
)

declare_source(
    Source(
        "gisements-fonciers",
        """
        SELECT g.id_gisement, co.insee AS commune_insee, co.nom AS commune, g.nom, g.type,
               round(g.surface_m2) AS surface_m2, g.potentiel_logements, g.statut, g.echeance,
               ST_Transform(g.geom, 4326) AS geom
        FROM foncier_gisement g JOIN territoires_commune co ON co.id = g.commune_id
        ORDER BY co.insee, g.id_gisement
        """,
        geometry="polygon",
    )
)
declare_dataset(
    "gisements-fonciers",
    titre="Inventaire des gisements fonciers",
    description=(
        "Terrains identifiés comme mobilisables (dents creuses, friches, divisions parcellaires, "
        "extensions) avec leur surface, leur potentiel de logements et leur échéance."
    ),
    theme=Theme.FONCIER,
    mots_cles=["gisement foncier", "friche", "dent creuse", "potentiel de logements"],
    producteur=PRODUCTEUR,
    source="Inventaire métropolitain, avec les communes et l'agence d'urbanisme",
    cadre="Convention d'échange de données avec l'agence d'urbanisme",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.RESTREINT,
    motif_sensibilite=(
        "Document préparatoire : la publication de terrains mobilisables avant décision peut nuire aux "
        "projets et aux propriétaires (secret des affaires, article L311-5 du CRPA)."
    ),
    source_technique="gisements-fonciers",
    roles_autorises=["agent_metropolitain", "elu", "charge_etudes", "agd"],
)

HECTARES = "hectare"
YEAR = {"minimum": 1900, "maximum": 2100}

# CNIG standard for PLU (2014 and 2017), ZONE_URBA class: its attribute names and codes are kept.
describe(
    "zones-plui",
    Field(
        "idurba",
        "Identifiant du document d'urbanisme (IDURBA du standard CNIG) : code INSEE ou SIREN, type de "
        "document (standard 2017) et date d'approbation AAAAMMJJ",
        pattern=r"^(\d{5}|2[AB]\d{3}|\d{9})_([A-Za-z]+_)?\d{8}(_\w+)?$",
        required=True,
        example="200054807_PLUi_20191219",
    ),
    Field("libelle", "Nom court de la zone (LIBELLE)", required=True, example="1AUH"),
    Field("libelong", "Nom long de la zone (LIBELONG)"),
    Field(
        "typezone",
        "Type de zone (TYPEZONE) : U urbaine, AUc à urbaniser ouverte, AUs à urbaniser "
        "fermée, A agricole, N naturelle et forestière",
        enum=("U", "AUc", "AUs", "A", "N"),
        required=True,
    ),
    Field(
        "destdomi",
        "Destination dominante de la zone (DESTDOMI, code à deux chiffres du standard CNIG : "
        "01 habitat, 02 activité, 03 mixte habitat et activité, 04 loisirs et tourisme, 05 équipement, "
        "07 activité agricole, 08 espace naturel, 09 espace remarquable, 10 secteur de carrière, "
        "99 autre, 00 sans objet)",
        pattern=r"^\d{2}$",
    ),
    commune_insee(required=True),
    Field(
        "surface_m2",
        "Surface de la zone dans la commune, arrondie au m²",
        unit="m²",
        required=True,
        minimum=0,
    ),
    Field("datappro", "Date d'approbation du document (DATAPPRO)", example="2019-12-19"),
    primary_key=("idurba", "libelle", "commune_insee"),
    national_schema=NationalSchema(
        "Plan local d'urbanisme (PLU), standard CNIG",
        "https://schema.data.gouv.fr/cnigfr/schema-plan-local-urbanisme/",
        False,
        "Suivi en partie : les attributs publiés reprennent les noms et les codes de la classe ZONE_URBA "
        "du standard CNIG (IDURBA, LIBELLE, LIBELONG, TYPEZONE, DESTDOMI, DATAPPRO), mais le fichier "
        "n'est pas une livraison conforme au standard (pas de NOMFIC, URLFIC ni DATVALID ; zones découpées "
        "par commune ; surface ajoutée). Les documents conformes sont sur le Géoportail de l'urbanisme.",
    ),
)

describe(
    "consommation-espaces",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "annee",
        "Année de la consommation (du 1er janvier de cette année au 1er janvier suivant)",
        required=True,
        example="2021",
        **YEAR,
    ),
    Field(
        "total_ha",
        "Espaces naturels, agricoles et forestiers consommés, toutes destinations",
        unit=HECTARES,
        required=True,
        minimum=0,
    ),
    Field("activite_ha", "dont pour l'activité économique", unit=HECTARES, minimum=0),
    Field("habitat_ha", "dont pour l'habitat", unit=HECTARES, minimum=0),
    Field("mixte_ha", "dont pour une destination mixte", unit=HECTARES, minimum=0),
    Field("routes_ha", "dont pour les routes", unit=HECTARES, minimum=0),
    Field("ferroviaire_ha", "dont pour le ferroviaire", unit=HECTARES, minimum=0),
    Field("inconnu_ha", "dont destination inconnue", unit=HECTARES, minimum=0),
    primary_key=("commune_insee", "annee"),
)
