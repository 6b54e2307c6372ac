from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "observatoire.territoires"
    label = "territoires"
    verbose_name = "Territoires"
