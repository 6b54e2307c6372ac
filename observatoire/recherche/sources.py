"""What the site search looks into, one function per kind of result, each respecting who may see what.

Every function takes the parsed ``Search`` and the user and returns ``Result``s best first. The
tables searched on the fly (indicators, observatories, contents) hold tens of rows: their
vectors are computed per query; datasets keep their stored, indexed vector.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchRank, SearchVector
from django.urls import reverse

from gouvernance.acces_views import reads_catalogue
from gouvernance.models import JeuDeDonnees
from observatoire.core import textsearch
from observatoire.core.formats import format_number
from observatoire.indicateurs.formats import format_valeur
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.observatoires.models import Contenu, Observatoire
from observatoire.opendata.views import open_datasets
from observatoire.territoires.names import Places, places_in


@dataclass
class Search:
    text: str
    words: list
    places: Places

    @classmethod
    def parse(cls, text):
        words = textsearch.words(text)
        return cls(text=text, words=words, places=places_in(words))

    @property
    def too_short(self):
        return bool(self.text.strip()) and not textsearch.useful(self.words)

    @property
    def focus(self):
        return self.places.focus

    @property
    def topic_words(self):
        """The words to look for in the contents: those naming a commune focus the results instead."""
        return self.places.other_words


@dataclass
class Result:
    title: str
    url: str
    text: str = ""
    meta: str = ""
    figures: list = field(default_factory=list)  # [(label, value)] of the focused commune
    links: list = field(default_factory=list)  # [(label, url)]


def _ranked(queryset, search, *fields):
    """``queryset`` filtered on the topic words and ranked, fields given as (name, weight)."""
    query = textsearch.tsquery(search.topic_words)
    if query is None:
        return queryset.none()
    exact = textsearch.tsquery(search.topic_words, expand=False)
    vector = reduce(
        add, [SearchVector(name, weight=weight, config=textsearch.SEARCH_CONFIG) for name, weight in fields]
    )
    return (
        queryset.annotate(document=vector)
        .filter(document=query)
        # The words as typed count twice: a result found only through a synonym ranks lower.
        .annotate(rang=SearchRank(vector, query) + 2 * SearchRank(vector, exact))
        .order_by("-rang")
    )


def dashboard_url(indicateur, commune=None):
    if indicateur.observatoire_id is None:
        return reverse("observatoires:carte-indicateur", kwargs={"code": indicateur.code})
    url = reverse("observatoires:tableau-de-bord", kwargs={"slug": indicateur.observatoire.slug})
    url += f"?indicateur={indicateur.code}"
    return url + f"&territoire={commune.insee}" if commune else url


def _latest_values(indicateurs, commune):
    """{indicator pk: (value, millésime)}: the commune's latest known value of each indicator."""
    rows = (
        Valeur.objects.filter(indicateur__in=indicateurs, commune=commune, valeur__isnull=False)
        .order_by("indicateur_id", "-millesime")
        .distinct("indicateur_id")
        .values_list("indicateur_id", "valeur", "millesime")
    )
    return {pk: (valeur, millesime) for pk, valeur, millesime in rows}


def indicateurs(search, user):
    found = list(
        _ranked(
            Indicateur.objects.visible_to(user).select_related("observatoire", "rubrique"),
            search,
            *(("libelle", "A"), ("code", "B"), ("rubrique__nom", "B")),
            *(("observatoire__nom", "C"), ("definition", "C"), ("source", "D")),
        )
    )
    commune = search.focus
    values = _latest_values(found, commune) if commune and found else {}
    results = []
    for indicateur in found:
        where = " › ".join(str(part.nom) for part in (indicateur.observatoire, indicateur.rubrique) if part)
        result = Result(
            title=indicateur.libelle,
            url=dashboard_url(indicateur, commune),
            text=indicateur.definition,
            meta=f"{where} · source : {indicateur.source}" if where else f"Source : {indicateur.source}",
        )
        if commune:
            valeur, millesime = values.get(indicateur.pk, (None, None))
            shown = (
                f"{format_valeur(valeur, indicateur.unite)} {indicateur.unite} ({millesime})"
                if millesime
                else None
            )
            result.figures = [(commune.nom, shown or "pas de valeur publiée pour cette commune")]
            result.links = [(f"Carte et tableau de bord pour {commune.nom}", result.url)]
        results.append(result)
    return results


def contenus(search, user):
    """Observatories and the contents of their rubriques this person may see, merged by rank."""
    observatoires = _ranked(
        Observatoire.objects.all(), search, ("nom", "A"), ("theme", "B"), ("description", "C")
    )
    found = [
        (o.rang, Result(title=o.nom, url=o.get_absolute_url(), text=o.description, meta="Observatoire"))
        for o in observatoires
    ]
    items = _ranked(
        Contenu.objects.select_related("rubrique__observatoire"),
        search,
        *(("titre", "A"), ("description", "B"), ("rubrique__nom", "C"), ("rubrique__observatoire__nom", "D")),
    ).visible_to(user)
    found += [
        (c.rang, Result(title=c.titre, url=c.get_access_url(), text=c.description, meta=str(c.rubrique)))
        for c in items
    ]
    return [result for _, result in sorted(found, key=lambda pair: -pair[0])]


def jeux(search, user):
    """The open-data catalogue's datasets, or the meta-catalogue's for those who may read it."""
    reader = reads_catalogue(user)
    visible = JeuDeDonnees.objects.all() if reader else open_datasets()
    route = "acces:jeu" if reader else "opendata:jeu"
    found = JeuDeDonnees.objects.search_words(search.topic_words).filter(pk__in=visible.values("pk"))
    return [
        Result(
            title=jeu.titre,
            url=reverse(route, kwargs={"slug": jeu.slug}),
            text=jeu.description,
            meta=f"{jeu.get_theme_display()} · {jeu.producteur}",
        )
        for jeu in found
    ]


def of_commune(nom):
    """« de Marseille », « d'Aix-en-Provence », « du Rove », « des Pennes-Mirabeau »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if nom.startswith(article):
            return contracted + nom[len(article) :]
    return ("d'" if textsearch.normalize(nom[:1]) in set("aeiouyh") else "de ") + nom


def communes(search, user):
    results = []
    for commune in search.places.communes:
        portrait = reverse("territoires:portrait", kwargs={"insee": commune.insee})
        results.append(
            Result(
                title=commune.nom,
                url=portrait,
                meta=f"Commune · code INSEE {commune.insee} · {format_number(commune.population)} habitants",
                links=[(f"Portrait {of_commune(commune.nom)}", portrait)],
            )
        )
    return results
