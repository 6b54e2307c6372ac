"""The asset of a report in GeoReport v2: the optional attribute ``equipement`` of a category that
has assets, sent as ``attribute[equipement]=<identifiant>`` (the code is reserved from the questions,
``questions.models.RESERVED_CODES``)."""

from ..errors import FilingError
from .lookup import actif_for
from .models import Actif

CODE = "equipement"


def categories_with_assets(categories):
    """Mark each category ``a_des_actifs`` in one query (the service list's ``metadata``)."""
    ids = set(
        Actif.objects.filter(categorie__in=categories, is_active=True).values_list("categorie_id", flat=True)
    )
    for categorie in categories:
        categorie.a_des_actifs = categorie.pk in ids
    return categories


def attributes(categorie, order):
    """The ``equipement`` attribute when the category has assets in use, else none."""
    if not Actif.objects.in_use(categorie).exists():
        return []
    return [
        {
            "variable": True,
            "code": CODE,
            "datatype": "string",
            "required": False,
            "datatype_description": (
                "Identifiant de l'équipement chez son gestionnaire (ex. EP-13201-00412), tel que le donnent "
                "/api/v1/signalements/actifs.geojson et actifs/proches/. Le signalement est placé sur "
                "l'équipement : lat et long deviennent facultatifs."
            ),
            "order": order,
            "description": f"Équipement concerné ({categorie.nom.lower()}), facultatif.",
        }
    ]


def actif_from(categorie, params):
    """The asset named by ``attribute[equipement]``, None without it; FilingError when unknown."""
    identifiant = params.get(f"attribute[{CODE}]", "")
    try:
        return actif_for(categorie, identifiant)
    except FilingError as error:
        raise FilingError(f"attribute[{CODE}] : {error}", field="actif") from error
