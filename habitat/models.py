from django.db import models

from observatoire.territoires.models import Commune


class ConstructionAnnuelle(models.Model):
    """Sitadel: dwellings authorised and started in a commune, one year, one kind of dwelling."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    type_logement = models.CharField(max_length=40)
    logements_autorises = models.PositiveIntegerField()
    logements_commences = models.PositiveIntegerField()
    surface_autorisee = models.PositiveIntegerField("surface de plancher autorisée (m²)")
    surface_commencee = models.PositiveIntegerField("surface de plancher commencée (m²)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "construction annuelle (Sitadel)"
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee", "type_logement"], name="sitadel_unique_ligne")
        ]

    def __str__(self):
        return f"{self.commune_id} {self.annee} {self.type_logement}"
