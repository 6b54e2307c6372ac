from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchRank, SearchVector, SearchVectorField
from django.db import models
from django.db.models import F
from django.urls import reverse

from observatoire.accounts.enums import Role
from observatoire.core import textsearch
from observatoire.territoires.names import places_in

from ..enums import Frequence, Licence, Sensibilite, Theme

# A French text-search configuration that also strips accents (created by migration 0002).
SEARCH_CONFIG = textsearch.SEARCH_CONFIG


class JeuDeDonneesQuerySet(models.QuerySet):
    def publishable(self):
        """What the open-data task may export: public sensitivity and not opted out."""
        return self.filter(sensibilite=Sensibilite.PUBLIC, publier=True)

    def search(self, text):
        """Ranked French search with synonyms (observatoire.core.textsearch).

        Every dataset covers the whole metropolis, so the words naming a commune are dropped when
        others remain: « prix immobilier Aix » looks for « prix immobilier ».
        """
        query_words = textsearch.words(text)
        return self.search_words(places_in(query_words).other_words or query_words)

    def search_words(self, query_words):
        """``search`` for words already split and stripped of commune names."""
        query = textsearch.tsquery(query_words)
        if query is None:
            return self.none()
        exact = textsearch.tsquery(query_words, expand=False)
        return (
            self.filter(search_vector=query)
            # F(): a bare name would be wrapped in to_tsvector() again, losing the A/B/C weights.
            # The words as typed rank above their synonyms.
            .annotate(rang=SearchRank(F("search_vector"), query) + SearchRank(F("search_vector"), exact))
            .order_by("-rang", "titre")
        )

    def refresh_search_vectors(self):
        return self.update(
            search_vector=SearchVector("titre", weight="A", config=SEARCH_CONFIG)
            + SearchVector("mots_cles_texte", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
            + SearchVector("producteur", weight="C", config=SEARCH_CONFIG)
        )


class JeuDeDonnees(models.Model):
    """One dataset the portal holds or references, with its sensitivity and who may access it."""

    slug = models.SlugField("identifiant", max_length=120, unique=True)
    titre = models.CharField(max_length=200)
    description = models.TextField()
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    mots_cles = ArrayField(
        models.CharField(max_length=60), verbose_name="mots-clés", default=list, blank=True
    )
    mots_cles_texte = models.TextField(editable=False, blank=True)
    producteur = models.CharField(max_length=200, help_text="Service producteur ou partenaire")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jeux_produits",
        help_text="Partenaire producteur, le cas échéant",
    )
    source = models.CharField(max_length=300, blank=True)
    cadre = models.CharField(
        "clause ou convention",
        max_length=200,
        blank=True,
        help_text="Clause d'interface ou convention d'échange",
    )
    couverture_spatiale = models.CharField(max_length=200, default="Métropole d'Aix-Marseille-Provence")
    debut = models.DateField("couverture temporelle : début", null=True, blank=True)
    fin = models.DateField("couverture temporelle : fin", null=True, blank=True)
    frequence = models.CharField("fréquence de mise à jour", max_length=10, choices=Frequence.choices)
    derniere_mise_a_jour = models.DateTimeField("dernière mise à jour", null=True, blank=True)
    licence = models.CharField(max_length=10, choices=Licence.choices, default=Licence.LO2)
    sensibilite = models.CharField("sensibilité", max_length=10, choices=Sensibilite.choices)
    motif_sensibilite = models.TextField("motif de la sensibilité", blank=True)
    base_legale = models.CharField("base légale (données personnelles)", max_length=300, blank=True)
    notes_qualite = models.TextField("notes de qualité", blank=True)
    contact = models.EmailField(blank=True)
    source_technique = models.CharField(
        max_length=80, blank=True, help_text="Source de données du portail qui produit les lignes (open data)"
    )
    publier = models.BooleanField("publier en open data", default=True)
    motif_non_publication = models.TextField("motif de non-publication", blank=True)
    roles_autorises = ArrayField(
        models.CharField(max_length=30, choices=Role.choices),
        verbose_name="rôles autorisés",
        default=list,
        blank=True,
    )
    communes_autorisees = models.ManyToManyField(
        "territoires.Commune", blank=True, related_name="+", verbose_name="communes autorisées"
    )
    organisations_autorisees = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="jeux_autorises",
        verbose_name="organisations autorisées",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JeuDeDonneesQuerySet.as_manager()

    class Meta:
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"
        ordering = ["titre"]
        indexes = [GinIndex(fields=["search_vector"], name="jeu_search_gin")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publier=True) | ~models.Q(motif_non_publication=""),
                name="jeu_non_publie_avec_motif",
            ),
            models.CheckConstraint(
                condition=~models.Q(sensibilite=Sensibilite.PERSONNEL) | ~models.Q(base_legale=""),
                name="jeu_personnel_avec_base_legale",
            ),
        ]

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        self.mots_cles_texte = " ".join(self.mots_cles)
        super().save(*args, **kwargs)
        type(self).objects.filter(pk=self.pk).refresh_search_vectors()

    def get_absolute_url(self):
        return reverse("opendata:jeu", kwargs={"slug": self.slug})

    @property
    def latest(self):
        """The version online (uses prefetched publications when the view prefetched them)."""
        if "publications" in getattr(self, "_prefetched_objects_cache", {}):
            return next(iter(self.publications.all()), None)  # Publication is ordered by -version
        return self.publications.order_by("-version").first()

    @property
    def is_publishable(self):
        return self.sensibilite == Sensibilite.PUBLIC and self.publier
