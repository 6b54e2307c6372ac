"""What the environnement indicators share: declaring one in the observatory, natural version order."""

import re

from observatoire.indicateurs.models import Indicateur, Niveau

OBSERVATOIRE = "environnement"
COMMUNE = [Niveau.COMMUNE]
COMMUNE_EPCI = [Niveau.COMMUNE, Niveau.EPCI]


def ensure(code, *, rubrique, niveaux=COMMUNE_EPCI, **fields):
    return Indicateur.objects.ensure(
        code, observatoire=OBSERVATOIRE, rubrique=rubrique, niveaux=niveaux, **fields
    )


def natural_key(text):
    """« v2023.2 » after « v2023 » after « v2022 »: numbers compared as numbers."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.findall(r"\d+|\D+", text)
    ]
