from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "observatoire.ogc"
    label = "ogc"
    verbose_name = "Services OGC (API Features, tuiles, CSW)"
