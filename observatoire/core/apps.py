from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "observatoire.core"
    label = "core"
    verbose_name = "Portail"
