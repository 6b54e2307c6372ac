from django.apps import AppConfig


class IndicateursConfig(AppConfig):
    name = "observatoire.indicateurs"
    label = "indicateurs"
    verbose_name = "Indicateurs"
