"""Habitat indicators, recomputed from the stored rows of every habitat import (idempotent)."""

from django.db import transaction

from . import parc, plh, sitadel, sru


@transaction.atomic
def recompute():
    """Recompute every habitat indicator; returns the number of values written."""
    return sitadel.recompute() + parc.recompute() + sru.recompute() + plh.recompute()


__all__ = ["recompute"]
