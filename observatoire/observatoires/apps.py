from django.apps import AppConfig


class ObservatoiresConfig(AppConfig):
    name = "observatoire.observatoires"
    label = "observatoires"
    verbose_name = "Observatoires"
