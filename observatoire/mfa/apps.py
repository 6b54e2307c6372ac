from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "observatoire.mfa"
    label = "mfa"
    verbose_name = "Second facteur d'authentification"
