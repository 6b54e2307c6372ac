"""The habitat data the portal imports, in the meta-catalogue and, being public, in open data."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import (
    Field,
    Source,
    commune_insee,
    commune_nom,
    declare_dataset,
    declare_source,
    describe,
)

PRODUCTEUR = "Métropole d'Aix-Marseille-Provence, observatoire de l'habitat"

declare_source(
    Source(
        "sitadel-communes",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, c.annee, c.type_logement,
               c.logements_autorises, c.logements_commences, c.surface_autorisee, c.surface_commencee
        FROM habitat_constructionannuelle c JOIN territoires_commune co ON co.id = c.commune_id
        ORDER BY c.annee, co.insee, c.type_logement
        """,
    )
)
declare_dataset(
    "construction-neuve-sitadel",
    titre="Construction neuve : logements autorisés et commencés par commune",
    description=(
        "Logements autorisés et commencés et surfaces de plancher, par commune, année et type de "
        "logement, pour les communes de la métropole (arrondissements de Marseille regroupés)."
    ),
    theme=Theme.HABITAT,
    mots_cles=["logement", "construction", "permis de construire", "Sitadel"],
    producteur=PRODUCTEUR,
    source="SDES, base Sitadel (fichier annuel par commune)",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="sitadel-communes",
)

declare_source(
    Source(
        "rpls-communes",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, p.millesime, p.nb_ls AS logements_sociaux,
               p.nb_loues AS loues, p.nb_vacants AS vacants, p.nb_vides AS vides,
               p.nb_ls_en_qpv AS en_qpv, p.tx_vac AS taux_vacance, p.tx_vac3 AS taux_vacance_3_mois,
               p.tx_mob AS taux_mobilite, p.loymoy AS loyer_moyen_m2
        FROM habitat_parcsocial p JOIN territoires_commune co ON co.id = p.commune_id
        ORDER BY p.millesime, co.insee
        """,
    )
)
declare_dataset(
    "parc-social-rpls",
    titre="Parc locatif social par commune",
    description=(
        "Logements sociaux des bailleurs par commune : loués, vacants, situés en quartier prioritaire, "
        "taux de vacance et de mobilité, loyer moyen au m²."
    ),
    theme=Theme.HABITAT,
    mots_cles=["logement social", "HLM", "RPLS", "loyer", "vacance"],
    producteur=PRODUCTEUR,
    source="SDES, répertoire des logements locatifs des bailleurs sociaux (RPLS)",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="rpls-communes",
)

declare_dataset(
    "dvf-mutations",
    titre="Demandes de valeurs foncières (mutations géolocalisées)",
    description=(
        "Ventes immobilières et foncières de la métropole, une ligne par mutation, utilisées pour les "
        "indicateurs de marchés immobiliers et fonciers."
    ),
    theme=Theme.FONCIER,
    mots_cles=["DVF", "prix", "immobilier", "transactions", "foncier"],
    producteur="DGFiP, mise en forme Etalab ; importé par la métropole",
    source="DVF géolocalisées (Etalab), fichier départemental",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.RESTREINT,
    motif_sensibilite=(
        "Les conditions générales d'utilisation de DVF interdisent la réidentification des personnes et "
        "l'indexation des ventes par les moteurs de recherche : les mutations une à une sont réservées aux "
        "agents et élus ; le portail publie les indicateurs agrégés."
    ),
    publier=False,
    motif_non_publication=(
        "Déjà publié par la DGFiP et Etalab sur data.gouv.fr : le portail en publie les indicateurs agrégés."
    ),
    roles_autorises=["agent_metropolitain", "agent_communal", "elu", "charge_etudes", "agd"],
)

YEAR = {"minimum": 1900, "maximum": 2100}
PERCENT = "%"

describe(
    "sitadel-communes",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "annee", "Année de l'autorisation ou de la mise en chantier", required=True, example="2023", **YEAR
    ),
    Field(
        "type_logement",
        "Type de logement tel que la base Sitadel le nomme (individuel pur, individuel groupé, "
        "collectif, en résidence, ou tous logements)",
        required=True,
        example="collectif",
    ),
    Field(
        "logements_autorises",
        "Logements autorisés (permis de construire délivrés)",
        unit="logement",
        required=True,
        minimum=0,
    ),
    Field(
        "logements_commences",
        "Logements commencés (déclarations d'ouverture de chantier) ; vide tant que le SDES ne les connaît "
        "pas (dernière année du fichier)",
        unit="logement",
        minimum=0,
    ),
    Field("surface_autorisee", "Surface de plancher autorisée", unit="m²", required=True, minimum=0),
    Field("surface_commencee", "Surface de plancher commencée ; vide tant qu'inconnue", unit="m²", minimum=0),
    primary_key=("commune_insee", "annee", "type_logement"),
)

describe(
    "rpls-communes",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "millesime",
        "Millésime du répertoire : état du parc au 1er janvier de cette année",
        required=True,
        example="2023",
        **YEAR,
    ),
    Field("logements_sociaux", "Logements sociaux des bailleurs", unit="logement", required=True, minimum=0),
    Field("loues", "Logements loués", unit="logement", minimum=0),
    Field("vacants", "Logements vacants (proposés à la location mais non loués)", unit="logement", minimum=0),
    Field(
        "vides", "Logements vides (hors location : travaux, vente, démolition…)", unit="logement", minimum=0
    ),
    Field(
        "en_qpv",
        "Logements sociaux situés en quartier prioritaire de la politique de la ville",
        unit="logement",
        minimum=0,
    ),
    Field("taux_vacance", "Taux de vacance", unit=PERCENT, minimum=0, maximum=100),
    Field(
        "taux_vacance_3_mois", "Taux de vacance de plus de trois mois", unit=PERCENT, minimum=0, maximum=100
    ),
    Field(
        "taux_mobilite",
        "Taux de mobilité (emménagements dans l'année rapportés au parc loué)",
        unit=PERCENT,
        minimum=0,
        maximum=100,
    ),
    Field("loyer_moyen_m2", "Loyer moyen hors charges par m² de surface habitable", unit="€/m²", minimum=0),
    primary_key=("commune_insee", "millesime"),
)
