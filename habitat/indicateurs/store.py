"""Declaring a habitat indicator; its values are written by ``observatoire.indicateurs.store``."""

from observatoire.indicateurs.models import Indicateur, Niveau

LEVELS = [Niveau.COMMUNE, Niveau.EPCI]


def ensure(code, *, rubrique, **fields):
    return Indicateur.objects.ensure(
        code, observatoire="habitat", rubrique=rubrique, niveaux=fields.pop("niveaux", LEVELS), **fields
    )
