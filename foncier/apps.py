from django.apps import AppConfig


class FoncierConfig(AppConfig):
    name = "foncier"
    verbose_name = "Observatoire du foncier"
