from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.core.textsearch import MAX_LENGTH, MIN_LENGTH

from . import pages, sources

SHOWN_PER_GROUP = 8


@dataclass
class Group:
    key: str
    title: str
    results: list

    @property
    def count(self):
        return len(self.results)

    @property
    def shown(self):
        return self.results[:SHOWN_PER_GROUP]


def _pages(search, user):
    return [
        sources.Result(title=title, url=url, text=description, meta="Page du portail")
        for title, description, url in pages.search(search.topic_words)
    ]


# Kinds in the order the page shows them; the communes first, since a named commune focuses the rest.
KINDS = (
    ("communes", "Communes", sources.communes),
    ("indicateurs", "Indicateurs", sources.indicateurs),
    ("contenus", "Observatoires et publications", sources.contenus),
    ("jeux", "Jeux de données", sources.jeux),
    ("pages", "Pages du portail", _pages),
)


def search_groups(search, user):
    """The non-empty groups of results, in the order of ``KINDS``, each ranked."""
    groups = [Group(key, title, find(search, user)) for key, title, find in KINDS]
    groups = {group.key: group for group in groups if group.results}
    if search.focus and "indicateurs" in groups:
        # The focused commune also leads to the map of the best indicator, centred on it.
        best = groups["indicateurs"].results[0]
        groups["communes"].results[0].links.append((f"Carte « {best.title} »", best.url))
    return list(groups.values())


@method_decorator(login_not_required, name="dispatch")
class RechercheView(TemplateView):
    """Public: every kind of result is filtered by what this person may see."""

    template_name = "recherche/resultats.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").replace("\x00", "")[:MAX_LENGTH].strip()
        search = sources.Search.parse(text)
        groups = [] if search.too_short else search_groups(search, self.request.user)
        return super().get_context_data(
            q=text,
            search=search,
            groups=groups,
            total=sum(group.count for group in groups),
            min_length=MIN_LENGTH,
            **kwargs,
        )
