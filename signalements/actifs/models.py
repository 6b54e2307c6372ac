"""Assets in public space (street lights, bins, benches, trees, hydrants…) a report can point at.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``).
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.contrib.postgres.indexes import GistIndex


class ActifQuerySet(models.QuerySet):
    def in_use(self, categorie):
        """The category's assets a report may point at (a deactivated one is kept for history only)."""
        return self.filter(categorie=categorie, is_active=True)

    def nearest(self, point, metres, limit):
        """Those within ``metres`` of ``point`` (storage SRID), nearest first, with ``distance``."""
        return (
            self.filter(geom__dwithin=(point, D(m=metres)))
            .annotate(distance=Distance("geom", point))
            .order_by("distance")[:limit]
        )


class Actif(models.Model):
    """One asset of one category, as its owner identifies it (``identifiant``)."""

    categorie = models.ForeignKey(
        "signalements.Categorie",
        on_delete=models.CASCADE,
        related_name="actifs",
        limit_choices_to={"parent__isnull": True},
    )
    identifiant = models.CharField(
        max_length=100, help_text="Identifiant chez le gestionnaire (ex. EP-13001-0042)."
    )
    nature = models.CharField(
        max_length=100, blank=True, help_text="Ex. candélabre, corbeille, borne incendie."
    )
    libelle = models.CharField("libellé", max_length=200, blank=True)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.CASCADE, related_name="actifs_signalement"
    )
    geom = models.PointField(srid=settings.STORAGE_SRID)
    proprietes = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Fichier ou import d'origine.")
    is_active = models.BooleanField("actif", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActifQuerySet.as_manager()

    class Meta:
        app_label = "signalements"
        ordering = ["categorie", "identifiant"]
        verbose_name = "équipement"
        constraints = [
            models.UniqueConstraint(fields=["categorie", "identifiant"], name="actif_unique_identifiant")
        ]
        indexes = [GistIndex(fields=["geom"], name="actif_geom")]

    def __str__(self):
        return f"{self.nature or 'Équipement'} {self.identifiant}"

    @property
    def description(self):
        """« Candélabre EP-13201-00412 (La Canebière) »: how a person recognises it."""
        return f"{self} ({self.libelle})" if self.libelle else str(self)
