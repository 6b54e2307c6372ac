from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import Fournisseur


class IdentiteFederee(models.Model):
    """An account's identity at ProConnect or FranceConnect, with the claims of its last login.

    The claims help an administrator decide roles and scope (the SIRET of a town hall proposes its
    commune); they never grant anything by themselves.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identites")
    fournisseur = models.CharField(max_length=20, choices=Fournisseur.choices)
    sub = models.CharField("identifiant chez le fournisseur (sub)", max_length=255)
    email = models.EmailField("adresse électronique déclarée", blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    organizational_unit = models.CharField("service", max_length=255, blank=True)
    claims = models.JSONField("attributs reçus", default=dict, blank=True)
    first_login_at = models.DateTimeField("première connexion", default=timezone.now)
    last_login_at = models.DateTimeField("dernière connexion", default=timezone.now)

    class Meta:
        verbose_name = "identité fédérée"
        verbose_name_plural = "identités fédérées"
        constraints = [
            models.UniqueConstraint(fields=["fournisseur", "sub"], name="identite_unique_sub"),
        ]

    def __str__(self):
        return f"{self.get_fournisseur_display()} : {self.email or self.sub}"

    @property
    def siren(self):
        return self.siret[:9] if len(self.siret) == 14 and self.siret.isdigit() else ""
