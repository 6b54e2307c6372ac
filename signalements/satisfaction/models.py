"""What reporters say once their report is resolved: fixed or not, and a 1–5 rating.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``).
Aggregated by category, service and commune only: never by agent.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Avis(models.Model):
    """One answer per report (the reporter's, given once)."""

    signalement = models.OneToOneField(
        "signalements.Signalement", on_delete=models.CASCADE, related_name="avis"
    )
    probleme_regle = models.BooleanField("problème réglé")
    note = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    commentaire = models.TextField(max_length=1000, blank=True)
    # Where the report stood when it was rated: the dashboard groups by these, even if it moves later.
    categorie = models.ForeignKey("signalements.Categorie", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        "signalements.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey("territoires.Commune", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "signalements"
        ordering = ["-created_at"]
        verbose_name = "avis"
        verbose_name_plural = "avis"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(note__isnull=True) | models.Q(note__gte=1, note__lte=5),
                name="avis_note_1_5",
            )
        ]

    def __str__(self):
        return f"Avis sur le signalement {self.signalement_id}"
