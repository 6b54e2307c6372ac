"""The fiscalite importers, registered for the admin and the commands (each module registers its own)."""

from .dgcl import DgclCriteresImporter  # noqa: F401
from .ofgl import OfglComptesImporter  # noqa: F401
from .rei import ReiImporter  # noqa: F401
