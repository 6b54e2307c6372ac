from django.apps import AppConfig


class FiscaliteConfig(AppConfig):
    name = "fiscalite"
    verbose_name = "Observatoire de la fiscalité"
