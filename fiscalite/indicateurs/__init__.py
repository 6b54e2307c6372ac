"""The fiscalite indicators, recomputed from the stored rows of every import (idempotent).

REI (DGFiP) gives the rates, bases and yields; the OFGL accounts the communes' finances; the DGCL
criteria the potentiel financier and the effort fiscal. Each module writes its own indicators.
"""

from django.db import transaction

from . import dotations, finances, taux


@transaction.atomic
def recompute():
    """Recompute every fiscalite indicator; returns the number of values written."""
    return taux.recompute() + finances.recompute() + dotations.recompute()


__all__ = ["recompute"]
