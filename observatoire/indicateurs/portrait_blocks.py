"""Blocks a thematic observatory adds to every commune's portrait (a « fiche financière »…).

The core does not import the thematic apps: each declares its blocks in a ``portrait_blocks``
module, found at start-up, with ``register``. A block's ``context(commune, user)`` returns what its
template needs, or None when it has nothing to show for this commune or this person (the template
is then left out). It must respect the visibility of what it shows, as the portrait's table does.
"""

from collections.abc import Callable
from dataclasses import dataclass

BLOCKS = {}


@dataclass(frozen=True)
class PortraitBlock:
    slug: str
    titre: str
    template: str
    context: Callable
    ordre: int = 0


def register(block):
    BLOCKS[block.slug] = block
    return block


def blocks_for(commune, user):
    """[{"slug", "titre", "template", "contexte"}] of the blocks with something to show, in order."""
    shown = []
    for block in sorted(BLOCKS.values(), key=lambda b: (b.ordre, b.slug)):
        contexte = block.context(commune, user)
        if contexte is not None:
            shown.append(
                {"slug": block.slug, "titre": block.titre, "template": block.template, "contexte": contexte}
            )
    return shown
