"""The foncier data: planning zones and land consumption are open; the gisements inventory is not."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.ogc.registry import Collection, Queryable, declare_collection
from observatoire.ogc.tilesets import Aggregation, TileSettings
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

declare_collection(
    Collection(
        id="zones-plui",
        title="Zonage des PLU et PLUi",
        description="Zones urbaines, à urbaniser, agricoles et naturelles des documents d'urbanisme, au "
        "standard CNIG, découpées par commune.",
        dataset="zonage-plui",
        from_sql="foncier_zoneplu z",
        fid="z.id",
        properties=(
            ("idurba", "z.idurba"),
            ("libelle", "z.libelle"),
            ("libelong", "z.libelong"),
            ("typezone", "z.typezone"),
            ("destdomi", "z.destdomi"),
            ("commune_insee", "z.insee"),
            ("surface_m2", "round(z.surface_m2)"),
            ("datappro", "z.datappro"),
        ),
        geometry="z.geom",
        geometry_type="MultiPolygon",
        datetime="z.datappro",
        queryables=(
            Queryable("typezone", "z.typezone", title="Type de zone", enum=("U", "AUc", "AUs", "A", "N")),
            Queryable("libelle", "z.libelle", title="Libellé de la zone"),
            Queryable("commune_insee", "z.insee", title="Code INSEE de la commune"),
            Queryable("idurba", "z.idurba", title="Identifiant du document"),
        ),
        keywords=("PLUi", "urbanisme", "zonage"),
        tiles=TileSettings(min_zoom=8, max_zoom=18, simplify=((0, 1.0), (14, 0.5), (17, 0))),
    )
)

# Consumption has no geometry of its own: each commune × year carries the commune's outline, so a GIS
# draws the yearly map and ``datetime`` picks the years.
declare_collection(
    Collection(
        id="consommation-espaces",
        title="Consommation d'espaces naturels, agricoles et forestiers par commune et par an",
        description="Hectares d'espaces naturels, agricoles et forestiers consommés chaque année, par "
        "commune et par destination (Cerema).",
        dataset="consommation-espaces-naf",
        from_sql="foncier_consommationespace ce JOIN territoires_commune co ON co.id = ce.commune_id",
        fid="co.insee || '-' || ce.annee",
        properties=(
            ("commune_insee", "co.insee"),
            ("commune", "co.nom"),
            ("annee", "ce.annee"),
            ("total_ha", "ce.total_ha"),
            ("activite_ha", "ce.activite_ha"),
            ("habitat_ha", "ce.habitat_ha"),
            ("mixte_ha", "ce.mixte_ha"),
            ("routes_ha", "ce.routes_ha"),
            ("ferroviaire_ha", "ce.ferroviaire_ha"),
            ("inconnu_ha", "ce.inconnu_ha"),
        ),
        geometry="co.geom",
        geometry_type="MultiPolygon",
        datetime="make_date(ce.annee, 1, 1)",
        queryables=(
            Queryable("commune_insee", "co.insee", title="Code INSEE de la commune"),
            Queryable("annee", "ce.annee", type="integer", title="Année"),
        ),
        keywords=("ZAN", "artificialisation", "consommation d'espace"),
    )
)

declare_collection(
    Collection(
        id="gisements",
        title="Gisements fonciers (accès restreint)",
        description="Terrains identifiés comme mobilisables, avec leur surface, leur potentiel de "
        "logements et leur échéance. Réservé aux rôles et partenaires autorisés.",
        dataset="gisements-fonciers",
        from_sql="foncier_gisement g JOIN territoires_commune co ON co.id = g.commune_id",
        fid="g.id_gisement",
        properties=(
            ("id_gisement", "g.id_gisement"),
            ("commune_insee", "co.insee"),
            ("commune", "co.nom"),
            ("nom", "g.nom"),
            ("type", "g.type"),
            ("surface_m2", "round(g.surface_m2)"),
            ("potentiel_logements", "g.potentiel_logements"),
            ("statut", "g.statut"),
            ("echeance", "g.echeance"),
        ),
        geometry="g.geom",
        geometry_type="MultiPolygon",
        queryables=(
            Queryable("commune_insee", "co.insee", title="Code INSEE de la commune"),
            Queryable("type", "g.type", title="Type de gisement"),
            Queryable("statut", "g.statut", title="Statut"),
            Queryable("echeance", "g.echeance", title="Échéance"),
        ),
        keywords=("gisement foncier", "friche", "dent creuse"),
    )
)

# Individual sales: for agents only (the dataset's record says who), never indexed — DVF's terms of use
# forbid re-identifying people and letting search engines index the sales.
declare_collection(
    Collection(
        id="dvf-mutations",
        title="Mutations DVF (accès réservé aux agents)",
        description="Ventes immobilières et foncières géolocalisées (DVF, DGFiP), une entité par mutation. "
        "Réservé aux agents et élus : les conditions d'utilisation de DVF interdisent la réidentification "
        "des personnes et l'indexation par les moteurs de recherche.",
        dataset="dvf-mutations",
        from_sql="foncier_mutation m JOIN territoires_commune co ON co.id = m.commune_id",
        fid="m.id_mutation",
        properties=(
            ("id_mutation", "m.id_mutation"),
            ("date_mutation", "m.date_mutation"),
            ("nature_mutation", "m.nature_mutation"),
            ("valeur_fonciere", "m.valeur_fonciere"),
            ("type_mutation", "m.type_mutation"),
            ("commune_insee", "co.insee"),
            ("code_commune", "m.code_commune"),
            ("nb_appartements", "m.nb_appartements"),
            ("nb_maisons", "m.nb_maisons"),
            ("surface_bati_m2", "m.surface_appartements + m.surface_maisons + m.surface_activite"),
            ("surface_terrain_m2", "m.surface_terrain"),
            ("pieces_principales", "m.pieces_principales"),
        ),
        geometry="m.geom",
        geometry_type="Point",
        where="m.geom IS NOT NULL",
        datetime="m.date_mutation",
        queryables=(
            Queryable("commune_insee", "co.insee", title="Code INSEE de la commune"),
            Queryable("code_commune", "m.code_commune", title="Code commune DVF (arrondissement)"),
            Queryable("type_mutation", "m.type_mutation", title="Type de bien"),
            Queryable("nature_mutation", "m.nature_mutation", title="Nature de la mutation"),
        ),
        keywords=("DVF", "prix", "immobilier", "transactions"),
        # Individual sales from street zoom only; above, a count and the median price per m² built.
        tiles=TileSettings(
            min_zoom=8,
            max_zoom=20,
            detail_zoom=15,
            aggregation=Aggregation(
                properties=(
                    (
                        "prix_m2_median",
                        "percentile_cont(0.5) WITHIN GROUP (ORDER BY m.valeur_fonciere"
                        " / NULLIF(m.surface_appartements + m.surface_maisons + m.surface_activite, 0))",
                    ),
                ),
            ),
        ),
    )
)
