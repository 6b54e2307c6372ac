"""Triage operations that are not status changes: requalify, move the pin, validate the text.

Each is allowed to the gestionnaire of the report's commune only, and leaves an internal
history line, so that the timeline tells who changed what.
"""

from django.db import transaction

from observatoire.core.formats import format_number

from . import notifications
from .models import Historique, Signalement
from .services import commune_at, point_from
from .workflow import Actor, TransitionError, actors_for, routing_service

MIN_MOVE_METRES = 1


def format_distance(metres):
    """« 12 m », « 850 m », « 1,2 km », « 15 km »: the precision a person reads on a map."""
    if metres < 999.5:
        return f"{round(metres)} m"
    kilometres = metres / 1000
    if kilometres < 10:
        return f"{format_number(kilometres, 1, trim=False)} km"
    return f"{round(kilometres)} km"


def _locked_for_triage(report, user):
    current = Signalement.objects.select_for_update(of=("self",)).select_related("commune").get(pk=report.pk)
    if Actor.GESTIONNAIRE not in actors_for(user, current):
        raise TransitionError("Vous n'avez pas le droit de requalifier ce signalement.")
    return current


def requalify(
    report, user, *, categorie=None, sous_categorie=None, lon=None, lat=None, description_validee=None
):
    """Change category, sub-category, location or text validation; routing follows.

    When the report is already forwarded and the new commune or category routes elsewhere,
    it is re-forwarded to the new service, which is told by e-mail.
    """
    with transaction.atomic():
        current = _locked_for_triage(report, user)
        changes = []
        if categorie is not None and categorie.pk != current.categorie_id:
            if categorie.parent_id is not None:
                raise TransitionError(
                    "Choisissez une catégorie principale (la sous-catégorie se précise à part)."
                )
            changes.append(f"Catégorie : {current.categorie.nom} → {categorie.nom}")
            current.categorie = categorie
            if current.sous_categorie_id and current.sous_categorie.parent_id != categorie.pk:
                current.sous_categorie = None
        if sous_categorie is not None and sous_categorie.pk != current.sous_categorie_id:
            if sous_categorie.parent_id != current.categorie_id:
                raise TransitionError("Cette sous-catégorie n'appartient pas à la catégorie du signalement.")
            changes.append(f"Sous-catégorie : {sous_categorie.nom}")
            current.sous_categorie = sous_categorie
        if lon is not None and lat is not None:
            point = point_from(lon, lat)
            distance = point.distance(current.geom)  # metres: the storage SRID is Lambert-93
            # The form sends the pin back rounded to 6 decimals (~10 cm): that is not a move.
            if distance >= MIN_MOVE_METRES:
                commune = commune_at(lon, lat)
                changes.append(
                    f"Repère déplacé de {format_distance(distance)}"
                    + (f", commune : {commune.nom}" if commune != current.commune else "")
                )
                current.geom, current.commune = point, commune
        if description_validee is not None and description_validee != current.description_validee:
            changes.append(
                "Description validée pour publication"
                if description_validee
                else "Description retirée de la publication"
            )
            current.description_validee = description_validee
        if not changes:
            return []
        if current.service_id:
            new_service = routing_service(current)
            if new_service and new_service.pk != current.service_id:
                changes.append(f"Réacheminé vers {new_service.nom}")
                current.service = new_service
                notifications.notify_service(current)
        current.save()
        Historique.objects.create(
            signalement=current,
            from_status=current.status,
            to_status=current.status,
            by=user,
            note="\n".join(changes),
            is_public=False,
        )
    report.refresh_from_db()
    return changes
