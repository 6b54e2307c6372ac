from django.apps import AppConfig


class HabitatConfig(AppConfig):
    name = "habitat"
    verbose_name = "Observatoire de l'habitat"
