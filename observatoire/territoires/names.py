"""Communes named in a search query: « prix immobilier Aix » names Aix-en-Provence.

A commune is recognised by its INSEE code or by the first words of its name, unaccented
(« aix » → Aix-en-Provence, « salon de provence » → Salon-de-Provence); the last word may be
cut short, as people type (« martig »). Articles alone never name a commune (« la », « les »).
"""

from dataclasses import dataclass, field

from observatoire.core.textsearch import normalize

from .models import Commune

ARTICLES = {"l", "la", "le", "les", "d", "de", "du", "des", "en", "sur", "sous"}
MIN_PREFIX = 3


@dataclass
class Places:
    communes: list = field(default_factory=list)  # every commune the query names, in query order
    other_words: list = field(default_factory=list)  # the words that name no commune

    @property
    def focus(self):
        """The commune the query is about, when it names exactly one."""
        return self.communes[0] if len(self.communes) == 1 else None


def _covered(query_words, name_words):
    """How many of ``query_words`` the name's first words cover (0: none)."""
    count = 0
    for typed, word in zip(query_words, name_words, strict=False):
        is_last = count == len(query_words) - 1
        if typed == word or (is_last and len(typed) >= MIN_PREFIX and word.startswith(typed)):
            count += 1
        else:
            break
    if all(word in ARTICLES for word in query_words[:count]):
        return 0
    return count


def find_places(query_words, communes):
    """Split ``query_words`` into the communes they name and the other words.

    ``communes`` are objects with ``insee`` and ``nom`` (e.g. a Commune queryset, geometry
    deferred). At each position the longest match wins; when several communes share it
    (« port »), all are kept and none is the focus.
    """
    named = [(commune, normalize(commune.nom).split()) for commune in communes]
    places, position = Places(), 0
    while position < len(query_words):
        rest = query_words[position:]
        best, found = 0, []
        for commune, name_words in named:
            covered = 1 if rest[0] == commune.insee.lower() else _covered(rest, name_words)
            if covered > best:
                best, found = covered, [(commune, name_words)]
            elif covered and covered == best:
                found.append((commune, name_words))
        if not best:
            places.other_words.append(rest[0])
            position += 1
            continue
        # « marseille » names Marseille, not only the communes whose name starts with it.
        exact = [commune for commune, words in found if len(words) == best]
        for commune in exact[:1] or [commune for commune, _ in found]:
            if commune not in places.communes:
                places.communes.append(commune)
        position += best
    return places


def places_in(query_words):
    """``find_places`` over the communes of the territory (one small query, no geometry)."""
    communes = (
        Commune.objects.filter(epci__isnull=False).only("pk", "insee", "nom", "population").order_by("nom")
    )
    return find_places(query_words, communes)
