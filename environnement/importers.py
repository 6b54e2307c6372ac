"""The environnement importers, registered for the admin and the commands (each module registers its own)."""

from .atmo import IndiceAtmoImporter  # noqa: F401
from .emissions import EmissionsImporter  # noqa: F401
from .espaces import EspacesNaturelsImporter  # noqa: F401
from .gaspar import GasparImporter  # noqa: F401
