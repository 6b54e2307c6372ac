"""The habitat importers, registered for the admin and the commands."""

from .sitadel import SitadelImporter

__all__ = ["SitadelImporter"]
