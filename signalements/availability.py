"""Which categories one person may use at one place: the per-commune activation rule."""

from dataclasses import dataclass

from django.conf import settings

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability
from observatoire.territoires.geometry import in_work_area
from observatoire.territoires.models import Commune

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
    ``commune`` comes from ``commune_with_settings`` (filing reads both in one query)."""
    if categorie.parent_id is not None or not categorie.is_active:
        return None
    if getattr(commune, "reglage_categorie_id", None) == categorie.pk:
        row = _joined_settings(commune, categorie)
    else:
        row = CategorieCommune.objects.filter(commune=commune, categorie=categorie).first()
    return _offer(categorie, row, audience)


SETTINGS_FIELDS = ("id", "ouverture", "explication", "canal_alternatif", "delai_cible_jours")


# The commune at a point with its settings of one category, as ``offer_for`` reads them. Written in SQL:
# filing runs it on every report, and the ORM took ~3 ms of CPU to compile the join it replaces.
COMMUNE_WITH_SETTINGS = """
    SELECT c.id, c.insee, c.nom, c.population, c.departement, c.epci_id, c.updated_at,
           %(categorie)s AS reglage_categorie_id,
           r.id AS reglage_id, r.ouverture AS reglage_ouverture, r.explication AS reglage_explication,
           r.canal_alternatif AS reglage_canal_alternatif, r.delai_cible_jours AS reglage_delai_cible_jours
      FROM territoires_commune c
      LEFT JOIN signalements_categoriecommune r ON r.commune_id = c.id AND r.categorie_id = %(categorie)s
     WHERE ST_Contains(c.geom, ST_Transform(ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), %(srid)s))
     ORDER BY c.nom
     LIMIT 1
"""


def commune_with_settings(lon, lat, categorie):
    """The commune containing a WGS84 point, its settings of ``categorie`` joined in; None outside."""
    if not in_work_area(lon, lat):
        return None
    params = {"categorie": categorie.pk, "lon": float(lon), "lat": float(lat), "srid": settings.STORAGE_SRID}
    return next(iter(Commune.objects.raw(COMMUNE_WITH_SETTINGS, params)), None)


def _joined_settings(commune, categorie):
    """The row ``commune_with_settings`` joined in, or None when the category was never set up there."""
    if commune.reglage_id is None:
        return None
    values = {name: getattr(commune, f"reglage_{name}") for name in SETTINGS_FIELDS}
    return CategorieCommune(commune=commune, categorie=categorie, **values)
