from django.apps import AppConfig


class SignalementsConfig(AppConfig):
    name = "signalements"
    verbose_name = "Signalements"
