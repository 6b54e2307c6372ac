from django.apps import AppConfig


class GouvernanceConfig(AppConfig):
    name = "gouvernance"
    verbose_name = "Gouvernance de la donnée"
