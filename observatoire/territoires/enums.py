from django.db import models


class ZoneType(models.TextChoices):
    ARRONDISSEMENT = "ARM", "Arrondissement municipal"
    IRIS = "IRIS", "IRIS"
    QPV = "QPV", "Quartier prioritaire de la politique de la ville"
    AUTRE = "AUTRE", "Autre zonage infra-communal"
