from django.db import models


class Fournisseur(models.TextChoices):
    """The OpenID Connect federations the portal accepts (issue 14)."""

    PROCONNECT = "proconnect", "ProConnect"
    FRANCECONNECT = "franceconnect", "FranceConnect"
