from django.apps import AppConfig


class RechercheConfig(AppConfig):
    name = "observatoire.recherche"
    label = "recherche"
    verbose_name = "Recherche sur le portail"
