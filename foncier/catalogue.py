"""The foncier data: planning zones and land consumption are open; the gisements inventory is not."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import Source, declare_dataset, declare_source

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
