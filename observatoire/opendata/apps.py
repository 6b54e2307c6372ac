from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OpendataConfig(AppConfig):
    name = "observatoire.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self):
        # Each app declares the datasets it produces in a ``catalogue`` module.
        autodiscover_modules("catalogue")
