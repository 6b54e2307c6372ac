"""The habitat importers, registered for the admin and the commands."""

from .insee_logement import InseeLogementImporter
from .plh import PlhImporter
from .rpls import RplsImporter
from .sitadel import SitadelImporter

__all__ = ["InseeLogementImporter", "PlhImporter", "RplsImporter", "SitadelImporter"]
