"""Which categories one person may use at one place: the per-commune activation rule."""

from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Q, Value

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
    """The offer of one category (None if it is not a selectable one): a single query, or none when
    ``commune`` comes from ``with_settings_of`` (filing reads both in one query)."""
    if categorie.parent_id is not None or not categorie.is_active:
        return None
    if getattr(commune, "reglage_categorie_id", None) == categorie.pk:
        row = _joined_settings(commune, categorie)
    else:
        row = CategorieCommune.objects.filter(commune=commune, categorie=categorie).first()
    return _offer(categorie, row, audience)


SETTINGS_FIELDS = ("id", "ouverture", "explication", "canal_alternatif", "delai_cible_jours")


def with_settings_of(communes, categorie):
    """Communes with their settings of one category joined in (not a second query per filing)."""
    return communes.annotate(
        reglage=FilteredRelation(
            "categories_signalement", condition=Q(categories_signalement__categorie=categorie)
        ),
        reglage_categorie_id=Value(categorie.pk),
        **{f"reglage_{name}": F(f"reglage__{name}") for name in SETTINGS_FIELDS},
    )


def _joined_settings(commune, categorie):
    """The row ``with_settings_of`` joined in, or None when the category was never set up there."""
    if commune.reglage_id is None:
        return None
    values = {name: getattr(commune, f"reglage_{name}") for name in SETTINGS_FIELDS}
    return CategorieCommune(commune=commune, categorie=categorie, **values)
