"""Which categories one person may use at one place: the per-commune activation rule."""

from dataclasses import dataclass

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability

from .enums import Audience, Ouverture
from .models import Categorie, CategorieCommune

DEFAULT_CLOSED_EXPLANATION = "Cette catégorie n'est pas traitée par signalement en ligne dans cette commune."
AGENTS_ONLY_EXPLANATION = "Cette catégorie est pour l'instant réservée aux agents de la commune."


@dataclass(frozen=True)
class Offer:
    categorie: Categorie
    ouverture: str
    is_open: bool
    explication: str
    canal_alternatif: str
    delai_cible_jours: int | None


def audience_of(user, commune):
    """Agents file as agents in the communes of their scope; everyone else as a citizen."""
    if perms.can(user, Capability.FILE_REPORT_AS_AGENT, commune=commune):
        return Audience.AGENT
    return Audience.CITOYEN


def is_open_for(ouverture, audience):
    return ouverture == Ouverture.TOUS or (ouverture == Ouverture.AGENTS and audience == Audience.AGENT)


def offers(commune, audience):
    """Every active top-level category, open or not, with what a closed one should say."""
    rows = {row.categorie_id: row for row in CategorieCommune.objects.filter(commune=commune)}
    return [
        _offer(categorie, rows.get(categorie.pk), audience)
        for categorie in Categorie.objects.filter(parent__isnull=True, is_active=True)
    ]


def _offer(categorie, row, audience):
    ouverture = row.ouverture if row else Ouverture.FERMEE
    is_open = is_open_for(ouverture, audience)
    return Offer(
        categorie=categorie,
        ouverture=ouverture,
        is_open=is_open,
        explication=_explanation(row, ouverture, is_open),
        canal_alternatif=row.canal_alternatif if row else "",
        delai_cible_jours=row.delai_cible_jours if row else None,
    )


def _explanation(row, ouverture, is_open):
    if is_open:
        return ""
    if row and row.explication:
        return row.explication
    return AGENTS_ONLY_EXPLANATION if ouverture == Ouverture.AGENTS else DEFAULT_CLOSED_EXPLANATION


def offer_for(commune, audience, categorie):
    """The offer of one category (None if it is not a selectable one): a single query."""
    if categorie.parent_id is not None or not categorie.is_active:
        return None
    return _offer(
        categorie, CategorieCommune.objects.filter(commune=commune, categorie=categorie).first(), audience
    )
