from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "observatoire.imports"
    label = "imports"
    verbose_name = "Imports de fichiers officiels"

    def ready(self):
        # Each thematic app declares its importers in an ``importers`` module.
        autodiscover_modules("importers")
