from django.apps import AppConfig


class EnvironnementConfig(AppConfig):
    name = "environnement"
    verbose_name = "Observatoire de l'environnement"
