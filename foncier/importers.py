"""The foncier importers, registered for the admin and the commands (one import line per module)."""

from . import consommation, gisements, gisements_zonage  # noqa: F401  (registered on import)
from .dvf import importer as dvf_importer  # noqa: F401  (registered on import)
