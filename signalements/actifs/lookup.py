"""From an identifier sent by a client (form, API, Open311) to the asset a report points at."""

from django.db.models import Exists, OuterRef

from ..errors import FilingError
from .models import Actif


def actif_for(categorie, identifiant):
    """The category's asset in use with this identifier; None when none is given; FilingError otherwise."""
    identifiant = (identifiant or "").strip()
    if not identifiant:
        return None
    actif = Actif.objects.in_use(categorie).filter(identifiant=identifiant).first()
    if actif is None:
        raise FilingError(
            f"Équipement « {identifiant[:100]} » inconnu dans la catégorie « {categorie.nom} » (ou retiré) : "
            "choisissez-le sur la carte ou envoyez le signalement sans équipement.",
            field="actif",
        )
    return actif


def with_actifs():
    """Annotation of categories: whether they have assets a report may point at."""
    return Exists(Actif.objects.filter(categorie=OuterRef("pk"), is_active=True))
