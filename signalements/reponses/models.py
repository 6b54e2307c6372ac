"""Response templates for triage and services, with placeholders filled from the report.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..enums import Status


class UsageModele(models.TextChoices):
    TRI = "tri", "Tri (gestionnaire)"
    SERVICE = "service", "Service compétent"
    TOUS = "tous", "Tri et services"


class ModeleReponseQuerySet(models.QuerySet):
    def for_communes(self, communes):
        """Templates of these communes and the metropolis's."""
        return self.filter(models.Q(commune__isnull=True) | models.Q(commune__in=communes))

    def applicable(self, report, usages):
        """Active templates for this report's category and commune, for these usages (any status)."""
        return self.filter(
            models.Q(categorie__isnull=True) | models.Q(categorie_id=report.categorie_id),
            models.Q(commune__isnull=True) | models.Q(commune_id=report.commune_id),
            usage__in=[*usages, UsageModele.TOUS],
            is_active=True,
        )


class ModeleReponse(models.Model):
    """A reusable note; a template without commune is the metropolis's, offered everywhere.

    Placeholders: ``{reference}``, ``{commune}``, ``{categorie}``, ``{date_prevue}``, ``{service}``.
    """

    titre = models.CharField(max_length=120)
    texte = models.TextField(max_length=2000)
    categorie = models.ForeignKey(
        "signalements.Categorie",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="modeles_reponse",
        help_text="Vide : proposé pour toutes les catégories.",
    )
    commune = models.ForeignKey(
        "territoires.Commune",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="modeles_reponse",
        help_text="Vide : modèle de la métropole, proposé dans toutes les communes.",
    )
    usage = models.CharField(max_length=10, choices=UsageModele.choices, default=UsageModele.TOUS)
    statut = models.CharField(
        max_length=20, blank=True, help_text="État pour lequel le modèle est proposé (vide : tous)."
    )
    is_active = models.BooleanField("actif", default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ModeleReponseQuerySet.as_manager()

    class Meta:
        app_label = "signalements"
        ordering = ["titre", "pk"]
        verbose_name = "modèle de réponse"
        verbose_name_plural = "modèles de réponse"

    def __str__(self):
        return self.titre

    def get_statut_label(self):
        return Status(self.statut).label if self.statut in Status.values else self.statut

    def applies_to(self, to_status):
        return not self.statut or self.statut == to_status
