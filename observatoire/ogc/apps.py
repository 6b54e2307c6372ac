from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class OgcConfig(AppConfig):
    name = "observatoire.ogc"
    label = "ogc"
    verbose_name = "Services OGC (API Features, tuiles, CSW)"

    def ready(self):
        post_migrate.connect(watch_tiled_tables, dispatch_uid="ogc-watch-tiled-tables")


def watch_tiled_tables(sender, **kwargs):
    """After a migrate, the tables read by tiled collections get their version trigger.

    post_migrate is sent once per app with models (this one has none): act on the last one only.
    """
    if sender is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    from .registry import all_collections
    from .versions import watch_collections

    watch_collections(all_collections().values())
