from django.apps import AppConfig


class ConnexionsConfig(AppConfig):
    name = "observatoire.connexions"
    label = "connexions"
    verbose_name = "Journal des connexions et sessions"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the auth, axes and account signals
