from django.apps import AppConfig


class MobiliteConfig(AppConfig):
    name = "mobilite"
    verbose_name = "Observatoire de la mobilité"
