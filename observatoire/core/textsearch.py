"""French full-text queries with synonyms, shared by the site search and the dataset catalogues.

PostgreSQL's ``fr_unaccent`` configuration (gouvernance migration 0002) strips accents and stems
French words. Synonyms would belong in a thesaurus dictionary, but that needs a file in the
server's ``tsearch_data`` directory, which a managed database does not let us ship. So they are
expanded here, before the tsquery is built: each word of the query becomes ``(word | synonyms)``
and the words are ANDed. Words are reduced to ``[a-z0-9]+`` first, so the raw tsquery we build
can never be a syntax error nor carry an operator typed by the user.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery

SEARCH_CONFIG = "fr_unaccent"
MAX_LENGTH = 200
MIN_LENGTH = 2  # a one-letter query matches everything or nothing: ask for more

# Groups of words a person uses for one idea (unaccented, singular). Keep them close synonyms:
# each one widens every query containing any word of its group.
SYNONYMES = (
    ("prix", "valeur", "cout", "tarif", "loyer"),
    ("logement", "habitat", "habitation", "residence"),
    ("immobilier", "foncier", "dvf", "transaction", "mutation", "vente"),
    ("transport", "mobilite", "deplacement", "desserte"),
    ("social", "sociaux", "hlm", "rpls"),
    ("artificialisation", "zan", "enaf"),
    ("construction", "sitadel", "permis"),
    ("velo", "cyclable"),
)
_GROUP_OF = {word: group for group in SYNONYMES for word in group}


def fold_accents(text):
    """« Entité » → « Entite »: accents dropped, and any other character outside ASCII with them."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def normalize(text):
    """Lower case, no accents, NUL or punctuation: « Prix à Aix-en-Provence » → 'prix a aix en provence'."""
    return " ".join(re.findall(r"[a-z0-9]+", fold_accents(text[:MAX_LENGTH].lower())))


def words(text):
    return normalize(text).split()


def synonyms(word):
    """The word and its synonyms; a plural (« logements », « prix ») finds its group too."""
    group = _GROUP_OF.get(word) or _GROUP_OF.get(word.rstrip("sx"))
    return (word, *[other for other in group if other != word]) if group else (word,)


def useful(query_words):
    return [word for word in query_words if len(word) >= MIN_LENGTH]  # « d' », « l' »: elisions


def raw_tsquery(query_words, expand=True):
    """The text given to ``to_tsquery``: the words ANDed, each ORed with its synonyms; "" without words.

    With ``expand=False`` the words are ORed as typed: a second query used to rank the results
    that contain the words themselves above those found through a synonym.
    """
    if not expand:
        return " | ".join(useful(query_words))
    return " & ".join("(" + " | ".join(synonyms(word)) + ")" for word in useful(query_words))


def tsquery(query_words, expand=True):
    """``raw_tsquery`` as a SearchQuery, or None when no word is left to search for."""
    raw = raw_tsquery(query_words, expand)
    return SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw") if raw else None
