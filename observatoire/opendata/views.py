import csv
import io

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from gouvernance.models import JeuDeDonnees
from observatoire.accounts import perms
from observatoire.accounts.enums import Capability
from observatoire.core.publish import publish_quietly

from . import dcat, downloads
from .models import Publication, Ressource
from .services import progress_key, show_progress
from .tasks import publish_dataset

PREVIEW_ROWS = 10


def open_datasets():
    """What the open-data portal lists: public datasets that have been published at least once."""
    latest = Publication.objects.prefetch_related("ressources")
    return (
        JeuDeDonnees.objects.publishable()
        .filter(publications__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("publications", queryset=latest))
    )


class FacetedSearchMixin:
    """Ranked full-text search and facets over datasets (open data portal and meta-catalogue)."""

    facets = {"theme": "Thème", "producteur": "Producteur", "format": "Format"}
    paginate_by = 20
    context_object_name = "jeux"

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        jeux = self.base_queryset()
        self.q = self.request.GET.get("q", "").strip()[:200]
        if self.q:
            jeux = jeux.filter(pk__in=JeuDeDonnees.objects.search(self.q).values("pk"))
        self.filtres = {name: self.request.GET.get(name, "") for name in self.facets}
        for name, value in self.filtres.items():
            if value:
                lookup = "publications__ressources__format" if name == "format" else name
                jeux = jeux.filter(**{lookup: value})
        self.filtered = jeux
        if self.q:
            ranked = {row.pk: row.rang for row in JeuDeDonnees.objects.search(self.q)}
            return sorted(jeux, key=lambda jeu: (-ranked.get(jeu.pk, 0), jeu.titre))
        return jeux.order_by("titre")

    def _counts(self, name, ids):
        if name == "format":
            rows = (
                Ressource.objects.filter(publication__jeu__in=ids)
                .values_list("format")
                .annotate(n=Count("publication__jeu", distinct=True))
                .order_by("format")
            )
            return [(value, value.upper(), count) for value, count in rows]
        labels = dict(JeuDeDonnees._meta.get_field(name).choices or [])
        rows = JeuDeDonnees.objects.filter(pk__in=ids).values_list(name).annotate(n=Count("pk"))
        return [(value, labels.get(value, value), count) for value, count in rows.order_by(name)]

    def _links(self, name, values):
        """Facet entries with the URL that adds (or, when active, removes) the filter."""
        items = []
        for value, label, count in values:
            query = self.request.GET.copy()
            query.pop("page", None)
            active = self.filtres[name] == value
            if active:
                query.pop(name, None)
            else:
                query[name] = value
            items.append({"label": label, "count": count, "active": active, "url": f"?{query.urlencode()}"})
        return items

    def get_context_data(self, **kwargs):
        ids = self.filtered.values("pk")
        facettes = [
            (title, self._links(name, self._counts(name, ids))) for name, title in self.facets.items()
        ]
        return super().get_context_data(q=self.q, filtres=self.filtres, facettes=facettes, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class CatalogueView(FacetedSearchMixin, ListView):
    template_name = "opendata/liste.html"

    def base_queryset(self):
        return open_datasets()


def _preview(ressource):
    # Only the first 64 KiB are read (a range request on object storage, not the whole file).
    head = b"".join(downloads.stream(ressource.fichier, 0, 64 * 1024 - 1)).decode("utf-8", errors="ignore")
    rows = list(csv.reader(io.StringIO(head)))
    return rows[0] if rows else [], rows[1 : PREVIEW_ROWS + 1]


@method_decorator(login_not_required, name="dispatch")
class JeuView(DetailView):
    template_name = "opendata/jeu.html"
    context_object_name = "jeu"

    def get_queryset(self):
        return JeuDeDonnees.objects.publishable().prefetch_related(
            Prefetch("publications", queryset=Publication.objects.prefetch_related("ressources"))
        )

    def get_context_data(self, **kwargs):
        jeu = self.object
        latest = jeu.latest
        csv_file = next((r for r in latest.ressources.all() if r.format == "csv"), None) if latest else None
        entetes, lignes = _preview(csv_file) if csv_file else ([], [])
        gerer = perms.has_capability(self.request.user, Capability.MANAGE_CATALOGUE)
        if latest is None and not gerer:
            raise Http404
        return super().get_context_data(
            identifiant=settings.SITE_URL + jeu.get_absolute_url(),
            latest=latest,
            entetes=entetes,
            lignes=lignes,
            gerer=gerer,
            progression=cache.get(progress_key(jeu.pk)) if gerer else None,
            diffusions=jeu.diffusions.all() if gerer else [],
            journal=jeu.journal.all()[:5] if gerer else [],
            en_cours=gerer and cache.get(f"opendata:lock:{jeu.pk}") is not None,
            **kwargs,
        )


class PublierView(View):
    """« Publier maintenant »: for those who manage the catalogue; the task checks sensitivity itself."""

    def post(self, request, slug):
        if not perms.has_capability(request.user, Capability.MANAGE_CATALOGUE):
            raise Http404
        jeu = get_object_or_404(JeuDeDonnees, slug=slug)
        show_progress(jeu.pk, "En file d'attente")
        publish_quietly(publish_dataset, jeu.pk)
        return redirect(jeu)


@login_not_required
@require_safe
def telecharger(request, slug, format, version=None):
    """Stable URLs: the latest version, or a given one; only ever files of public datasets.

    ETag, Last-Modified, 304, byte ranges and Repr-Digest: see ``downloads``."""
    jeu = get_object_or_404(JeuDeDonnees.objects.publishable(), slug=slug)
    publication = get_object_or_404(jeu.publications, version=version) if version else jeu.latest
    if publication is None:
        raise Http404
    ressource = get_object_or_404(
        Ressource.objects.select_related("publication"), publication=publication, format=format
    )
    return downloads.serve(request, ressource, immutable=version is not None)


def page_number(request, paginator):
    """The ``?page=`` asked for; 404 for a page that does not exist (not a silent first or last page)."""
    try:
        return paginator.validate_number(request.GET.get("page", "1"))
    except InvalidPage as error:
        raise Http404(f"Page introuvable : {error}") from error


@login_not_required
def catalogue_dcat(request, extension):
    rdf_format, media_type = dcat.FORMATS[extension]
    jeux = open_datasets().order_by("slug")
    paginator = Paginator(jeux, dcat.PAGE_SIZE)
    page = page_number(request, paginator)
    items = paginator.page(page).object_list
    url = settings.SITE_URL + reverse("opendata:dcat", kwargs={"extension": extension})
    graph = dcat.catalogue_graph(items, settings.SITE_URL, page, paginator.count, lambda p: f"{url}?page={p}")
    return HttpResponse(graph.serialize(format=rdf_format), content_type=f"{media_type}; charset=utf-8")
