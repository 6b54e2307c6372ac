from django.apps import AppConfig


class IdentiteConfig(AppConfig):
    name = "observatoire.identite"
    label = "identite"
    verbose_name = "Identités fédérées (ProConnect, FranceConnect)"
    default_auto_field = "django.db.models.BigAutoField"
