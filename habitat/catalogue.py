"""The habitat data the portal imports, in the meta-catalogue and, being public, in open data."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.opendata.sources import Source, declare_dataset, declare_source

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
    sensibilite=Sensibilite.PUBLIC,
    publier=False,
    motif_non_publication=(
        "Déjà publié par la DGFiP et Etalab sur data.gouv.fr : le portail en publie les indicateurs agrégés."
    ),
)
