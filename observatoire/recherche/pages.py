"""The portal's pages the site search may propose: declared here, with words people use for them.

Only pages open to everyone: a page behind a login would answer « accès refusé » to most people.
Thematic pages are named by their URL name, so this module imports no thematic code.
"""

from django.db import connection
from django.urls import NoReverseMatch, reverse

from observatoire.core.textsearch import SEARCH_CONFIG, raw_tsquery

PAGES = (
    ("core:home", "Accueil", "Observatoires territoriaux, signalements et données ouvertes de la métropole."),
    (
        "observatoires:liste",
        "Observatoires",
        "Habitat, foncier, mobilité : indicateurs, tableaux de bord, cartes et publications.",
    ),
    ("territoires:comparer", "Comparer des communes", "Les indicateurs de deux à cinq communes côte à côte."),
    (
        "signalements:index",
        "Signaler un problème dans l'espace public",
        "Voirie, propreté, éclairage : signaler un dysfonctionnement et suivre son traitement.",
    ),
    (
        "signalements-carte:carte",
        "Carte des signalements",
        "Les signalements publics sur une carte, par commune.",
    ),
    (
        "opendata:liste",
        "Open data : données ouvertes",
        "Jeux de données publics, téléchargeables sous licence ouverte (CSV, GeoJSON, XLSX).",
    ),
    (
        "gouvernance:index",
        "Gouvernance des données",
        "Charte de la donnée, comité, catalogue, registre des traitements et algorithmes publics.",
    ),
    (
        "gouvernance:registre",
        "Registre des traitements de données personnelles",
        "RGPD : finalités, bases légales, durées de conservation.",
    ),
    (
        "gouvernance:algorithmes",
        "Algorithmes publics",
        "Les traitements algorithmiques du portail expliqués.",
    ),
    ("gouvernance:comites", "Comité de la donnée", "Réunions, ordres du jour et comptes rendus."),
    (
        "api-docs",
        "Documentation de l'API",
        "API REST : territoires, indicateurs, signalements (Open311), catalogue des données.",
    ),
    ("mobilite:reseau", "Réseau de transport en commun", "Arrêts, lignes et desserte du réseau (GTFS)."),
    ("mobilite:flux", "Flux domicile-travail", "Déplacements entre communes de résidence et de travail."),
    ("foncier:zan", "Trajectoire ZAN", "Consommation d'espaces naturels, agricoles et forestiers."),
    ("core:mentions-legales", "Mentions légales", "Éditeur, hébergeur, licence et crédits du portail."),
    ("core:accessibilite", "Accessibilité", "Déclaration d'accessibilité (RGAA) et contact."),
    (
        "core:donnees-personnelles",
        "Données personnelles",
        "Protection des données personnelles et vos droits.",
    ),
)

# One statement for every page: PostgreSQL ranks the declared texts as it ranks the tables.
RANK_SQL = """
SELECT position - 1, ts_rank(document, query) + 2 * ts_rank(document, exact)
FROM (
    SELECT position, setweight(to_tsvector(%(config)s::regconfig, title), 'A')
        || to_tsvector(%(config)s::regconfig, description) AS document
    FROM unnest(%(titles)s::text[], %(descriptions)s::text[])
        WITH ORDINALITY AS page(title, description, position)
) AS pages,
to_tsquery(%(config)s::regconfig, %(query)s) AS query,
to_tsquery(%(config)s::regconfig, %(exact)s) AS exact
WHERE document @@ query
ORDER BY 2 DESC, 1
"""


def declared():
    """(title, description, url) of the declared pages whose URL exists in this deployment."""
    pages = []
    for name, title, description in PAGES:
        try:
            pages.append((title, description, reverse(name)))
        except NoReverseMatch:
            continue
    return pages


def search(query_words):
    """The declared pages matching the words, best first, as (title, description, url)."""
    query = raw_tsquery(query_words)
    if not query:
        return []
    pages = declared()
    titles, descriptions = [page[0] for page in pages], [page[1] for page in pages]
    with connection.cursor() as cursor:
        cursor.execute(
            RANK_SQL,
            {
                "config": SEARCH_CONFIG,
                "titles": titles,
                "descriptions": descriptions,
                "query": query,
                "exact": raw_tsquery(query_words, expand=False),
            },
        )
        return [pages[index] for index, _ in cursor.fetchall()]
