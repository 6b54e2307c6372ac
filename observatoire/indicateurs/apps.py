from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class IndicateursConfig(AppConfig):
    name = "observatoire.indicateurs"
    label = "indicateurs"
    verbose_name = "Indicateurs"

    def ready(self):
        # Each thematic app declares the blocks it adds to the portraits in a ``portrait_blocks`` module.
        autodiscover_modules("portrait_blocks")
