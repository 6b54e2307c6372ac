from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _

from observatoire.territoires.models import Commune, Zone

__all__ = ["Mutation", "TypeMutation"]


class TypeMutation(models.TextChoices):
    """What a mutation sold, derived from its locals and land (dépendances go with the main local)."""

    APPARTEMENT = "appartement", _("Un appartement")
    MAISON = "maison", _("Une maison")
    APPARTEMENTS = "appartements", _("Plusieurs appartements")
    MAISONS = "maisons", _("Plusieurs maisons")
    ACTIVITE = "activite", _("Locaux d'activité")
    DEPENDANCES = "dependances", _("Dépendances seules")
    MIXTE = "mixte", _("Mixte (plusieurs types de locaux)")
    TERRAIN_A_BATIR = "terrain_a_batir", _("Terrain à bâtir")
    TERRAIN = "terrain", _("Terrain non bâti")
    AUTRE = "autre", _("Autre (lots sans local décrit)")


class Mutation(models.Model):
    """DVF: one sale (or exchange, auction…) as recorded by the DGFiP, whatever its number of rows."""

    id_mutation = models.CharField(max_length=32)
    date_mutation = models.DateField(_("date de mutation"))
    nature_mutation = models.CharField(_("nature de la mutation"), max_length=60)
    valeur_fonciere = models.DecimalField(
        _("valeur foncière (€)"), max_digits=15, decimal_places=2, null=True
    )
    # The (commune, date) index serves the commune's lookups: no second index to maintain on import.
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+", db_index=False)
    code_commune = models.CharField(_("code commune DVF"), max_length=5, help_text=_("arrondissement gardé"))
    # Grouped on, never filtered on: an index would only slow the import down.
    arrondissement = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    type_mutation = models.CharField(_("type"), max_length=20, choices=TypeMutation.choices)
    nb_appartements = models.PositiveSmallIntegerField(default=0)
    nb_maisons = models.PositiveSmallIntegerField(default=0)
    nb_dependances = models.PositiveSmallIntegerField(default=0)
    nb_activite = models.PositiveSmallIntegerField(_("locaux d'activité"), default=0)
    surface_appartements = models.PositiveIntegerField(_("surface bâtie des appartements (m²)"), default=0)
    surface_maisons = models.PositiveIntegerField(_("surface bâtie des maisons (m²)"), default=0)
    surface_activite = models.PositiveIntegerField(_("surface bâtie d'activité (m²)"), default=0)
    pieces_principales = models.PositiveSmallIntegerField(_("pièces principales"), default=0)
    surface_terrain = models.PositiveIntegerField(_("surface de terrain (m²)"), default=0)
    surface_terrain_a_batir = models.PositiveIntegerField(_("dont terrains à bâtir (m²)"), default=0)
    parcelles = ArrayField(models.CharField(max_length=14), default=list)
    lignes = models.PositiveIntegerField(_("lignes du fichier"), default=1)
    geom = models.PointField(srid=settings.STORAGE_SRID, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mutation (DVF)")
        verbose_name_plural = _("mutations (DVF)")
        # A constraint rather than unique=True: no second (LIKE) index for the import to maintain.
        constraints = [models.UniqueConstraint(fields=["id_mutation"], name="foncier_mutation_id_unique")]
        indexes = [models.Index(fields=["commune", "date_mutation"], name="foncier_mutation_commune_date")]

    def __str__(self):
        return f"{self.id_mutation} {self.date_mutation} {self.get_type_mutation_display()}"
