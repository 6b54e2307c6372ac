"""The signalements importers, registered for the admin and the commands."""

from .actifs import importer  # noqa: F401  (registered on import)
