"""What the metropolis exchanges with each partner organisation, and whom to call there."""

from django.db import models


class SensFlux(models.TextChoices):
    ENTRANT = "entrant", "Le partenaire fournit des données"
    SORTANT = "sortant", "La métropole fournit des données"
    RECIPROQUE = "reciproque", "Échanges dans les deux sens"


class Partenariat(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="partenariat"
    )
    sens_flux = models.CharField("sens des échanges", max_length=12, choices=SensFlux.choices)
    donnees = models.TextField("données échangées", blank=True)
    public = models.BooleanField("affiché sur la page publique", default=True)
    depuis = models.DateField("partenaire depuis", null=True, blank=True)

    class Meta:
        verbose_name = "partenariat"
        ordering = ["organisation__nom"]

    def __str__(self):
        return str(self.organisation)


class ContactPartenaire(models.Model):
    """Internal only: names and direct lines are personal data, never shown on public pages."""

    partenariat = models.ForeignKey(Partenariat, on_delete=models.CASCADE, related_name="contacts")
    nom = models.CharField(max_length=200)
    fonction = models.CharField(max_length=200, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["nom"]

    def __str__(self):
        return self.nom
