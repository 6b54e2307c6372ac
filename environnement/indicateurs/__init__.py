"""The environnement indicators, recomputed from the stored rows of every import (idempotent).

Natural risks (GASPAR: CatNat decrees, PPRN), air quality (ATMO index, regional emissions
inventory) and protected areas (coverage of the communes). Each family of indicators is written
with ``habitat.indicateurs.store.store``: values no longer produced are deleted.
"""

from django.db import transaction

from . import air, espaces, risques


@transaction.atomic
def recompute():
    """Recompute every environnement indicator; returns the number of values written."""
    return risques.recompute() + air.recompute() + espaces.recompute()


__all__ = ["recompute"]
