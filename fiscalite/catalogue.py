"""The fiscalité data the portal imports: REI, OFGL accounts and DGCL criteria are published by
their producers under the Licence Ouverte, so the portal republishes its extract as open data."""

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

from .enums import Element

PRODUCTEUR = "Métropole d'Aix-Marseille-Provence, observatoire de la fiscalité"
YEAR = {"minimum": 1900, "maximum": 2100}
EUROS = "€"

declare_source(
    Source(
        "rei-communes",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, e.annee, e.element, e.valeur, e.secret
        FROM fiscalite_elementimposition e JOIN territoires_commune co ON co.id = e.commune_id
        ORDER BY e.annee, co.insee, e.element
        """,
    )
)
declare_dataset(
    "fiscalite-rei-communes",
    titre="Taux et bases de la fiscalité directe locale par commune (REI)",
    description=(
        "Bases nettes, taux votés et produits de la taxe foncière sur les propriétés bâties et non bâties, "
        "de la taxe d'enlèvement des ordures ménagères, de la cotisation foncière des entreprises et de la "
        "taxe d'habitation (résidences secondaires depuis 2023), par commune et année d'imposition, pour "
        "la part communale et celle du groupement. Une cellule sous secret statistique reste vide."
    ),
    theme=Theme.FISCALITE,
    mots_cles=["fiscalité locale", "taxe foncière", "TEOM", "CFE", "REI", "taux d'imposition"],
    producteur=PRODUCTEUR,
    source="DGFiP, fichier de recensement des éléments d'imposition à la fiscalité directe locale (REI)",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    publier=True,
    source_technique="rei-communes",
)

declare_source(
    Source(
        "ofgl-comptes",
        """
        SELECT CASE WHEN a.commune_id IS NOT NULL THEN 'commune' ELSE 'groupement' END AS niveau,
               COALESCE(co.insee, ep.siren) AS code, COALESCE(co.nom, ep.nom) AS nom, a.exercice,
               a.agregat, a.montant, a.population
        FROM fiscalite_agregatcomptable a
        LEFT JOIN territoires_commune co ON co.id = a.commune_id
        LEFT JOIN territoires_epci ep ON ep.id = a.epci_id
        ORDER BY a.exercice, niveau, code, a.agregat
        """,
    )
)
declare_dataset(
    "fiscalite-ofgl-comptes",
    titre="Comptes consolidés des communes (OFGL)",
    description=(
        "Agrégats des comptes des communes de la métropole et de leur groupement par exercice (dépenses et "
        "recettes de fonctionnement, épargne brute, encours de dette, dépenses d'équipement, frais de "
        "personnel…), budget principal et budgets annexes consolidés, avec la population retenue par l'OFGL."
    ),
    theme=Theme.FISCALITE,
    mots_cles=["finances locales", "comptes des communes", "épargne brute", "dette", "OFGL"],
    producteur=PRODUCTEUR,
    source="Observatoire des finances et de la gestion publique locales (OFGL), data.ofgl.fr",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    publier=True,
    source_technique="ofgl-comptes",
)

declare_source(
    Source(
        "dgcl-criteres",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, c.annee, c.population_dgf, c.population_insee,
               c.strate, c.potentiel_fiscal, c.potentiel_financier, c.potentiel_financier_par_habitant,
               c.potentiel_financier_moyen_strate, c.effort_fiscal, c.effort_fiscal_moyen_strate
        FROM fiscalite_criteresdotation c JOIN territoires_commune co ON co.id = c.commune_id
        ORDER BY c.annee, co.insee
        """,
    )
)
declare_dataset(
    "fiscalite-dgcl-criteres",
    titre="Critères de répartition des dotations (DGCL)",
    description=(
        "Population DGF, potentiel fiscal et financier (« final » depuis 2022), effort fiscal et moyennes "
        "de la strate démographique de chaque commune de la métropole, par année de répartition."
    ),
    theme=Theme.FISCALITE,
    mots_cles=["dotations", "DGF", "potentiel financier", "effort fiscal", "péréquation", "DGCL"],
    producteur=PRODUCTEUR,
    source="DGCL, critères de répartition des dotations versées par l'État aux collectivités territoriales",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    publier=True,
    source_technique="dgcl-criteres",
)

describe(
    "rei-communes",
    commune_insee(required=True),
    commune_nom(required=True),
    Field("annee", "Année d'imposition", required=True, example="2023", **YEAR),
    Field(
        "element",
        "Variable du REI : impôt, bénéficiaire (commune ou groupement) et nature (base nette, taux voté, "
        "produit) ; " + " ; ".join(f"{e.value} = {e.label}" for e in Element),
        required=True,
        enum=tuple(e.value for e in Element),
        example=Element.TFB_TAUX_COMMUNE.value,
    ),
    Field(
        "valeur",
        "Valeur de la variable : en euros pour une base ou un produit, en pourcentage pour un taux ; vide "
        "quand la DGFiP l'a couverte par le secret statistique (ce n'est pas zéro)",
        unit="€ ou %",
        minimum=0,
    ),
    Field("secret", "Vrai quand la cellule est couverte par le secret statistique", required=True),
    primary_key=("commune_insee", "annee", "element"),
)

describe(
    "ofgl-comptes",
    Field(
        "niveau",
        "Niveau de la collectivité : commune ou groupement",
        required=True,
        enum=("commune", "groupement"),
    ),
    Field(
        "code",
        "Code INSEE de la commune ou SIREN du groupement",
        required=True,
        pattern=r"^(\d{5}|2[AB]\d{3}|\d{9})$",
        example="13001",
    ),
    Field("nom", "Nom de la commune ou du groupement", required=True, example="Aix-en-Provence"),
    Field("exercice", "Exercice comptable", required=True, example="2023", **YEAR),
    Field("agregat", "Agrégat tel que l'OFGL le nomme", required=True, example="Epargne brute"),
    Field(
        "montant",
        "Montant de l'agrégat, budgets principal et annexes consolidés ; peut être négatif (épargne)",
        unit=EUROS,
    ),
    Field("population", "Population retenue par l'OFGL pour l'exercice", unit="habitant", minimum=0),
    primary_key=("code", "exercice", "agregat"),
)

describe(
    "dgcl-criteres",
    commune_insee(required=True),
    commune_nom(required=True),
    Field("annee", "Année de répartition des dotations", required=True, example="2024", **YEAR),
    Field("population_dgf", "Population DGF (population INSEE majorée)", unit="habitant", minimum=0),
    Field("population_insee", "Population INSEE retenue par la DGCL", unit="habitant", minimum=0),
    Field("strate", "Strate démographique de la commune", example="10 000 à 19 999 habitants"),
    Field("potentiel_fiscal", "Potentiel fiscal (« final » depuis 2022)", unit=EUROS, minimum=0),
    Field("potentiel_financier", "Potentiel financier (« final » depuis 2022)", unit=EUROS, minimum=0),
    Field(
        "potentiel_financier_par_habitant", "Potentiel financier par habitant DGF", unit="€/hab.", minimum=0
    ),
    Field(
        "potentiel_financier_moyen_strate",
        "Potentiel financier moyen par habitant de la strate démographique",
        unit="€/hab.",
        minimum=0,
    ),
    Field("effort_fiscal", "Effort fiscal de la commune", unit="coefficient", minimum=0),
    Field("effort_fiscal_moyen_strate", "Effort fiscal moyen de la strate", unit="coefficient", minimum=0),
    primary_key=("commune_insee", "annee"),
)
