"""Status updates posted by a service's system to our webhook: checked, recorded once, applied.

The document (docs/liaisons-services.md): ``{"event_id", "signalement", "statut", "note"}``,
signed like what we send them. Every refusal is a JSON ``{"erreur": …}`` with its status.
"""

import json
from datetime import date

from django.db import IntegrityError, transaction

from .. import workflow
from ..enums import Status
from .models import EvenementEntrant
from .outbox import external_state
from .signature import SignatureError, verify
from .suivi import apply

# Their words → ours. « renvoye »: not theirs, back to our triage.
STATUTS = {
    "pris_en_charge": Status.PRIS_EN_CHARGE,
    "planifie": Status.PLANIFIE,
    "resolu": Status.RESOLU,
    "renvoye": Status.EN_ANALYSE,
}
MAX_NOTE = 2000


class EventError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def receive(liaison, headers, body):
    """Check, record and apply one call; returns the answer's JSON or raises EventError."""
    try:
        verify(liaison.secret, headers, body)
    except SignatureError as error:
        raise EventError(401, str(error)) from error
    event = _parse(body)
    envoi = liaison.service.envois.filter(signalement_id=event["signalement"]).first()
    if envoi is None:
        raise EventError(400, f"Signalement {event['signalement']} inconnu : il ne vous a pas été transmis.")
    target = STATUTS[event["statut"]]
    planned = date.fromisoformat(event["date"]) if event["date"] else None
    refused = None
    try:
        # One transaction: an unexpected failure leaves no record, so their retry is not a « replay ».
        with transaction.atomic():
            record = EvenementEntrant.objects.create(
                liaison=liaison, event_id=event["event_id"], payload=event
            )
            try:
                with transaction.atomic():
                    state = external_state(event["statut"], event["note"])
                    path = apply(envoi, state, target, event["note"], strict=True, date_prevue=planned)
            except workflow.TransitionError as error:
                refused = record.error = str(error)
            record.applied = refused is None
            record.save(update_fields=["applied", "error"])
    except IntegrityError as error:
        raise EventError(409, f"Événement {event['event_id']} déjà reçu.") from error
    if refused:
        raise EventError(409, refused)
    envoi.signalement.refresh_from_db(fields=["status"])
    return {"event_id": record.event_id, "statut": envoi.signalement.status, "etapes": [str(s) for s in path]}


def _parse(body):
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise EventError(400, "Corps JSON illisible.") from error
    if not isinstance(data, dict):
        raise EventError(400, "Le corps doit être un objet JSON.")
    event_id = data.get("event_id")
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 100:
        raise EventError(400, "event_id : une chaîne de 1 à 100 caractères, unique par événement.")
    signalement = data.get("signalement")
    if not isinstance(signalement, int) or isinstance(signalement, bool):
        raise EventError(400, "signalement : l'identifiant numérique reçu dans notre envoi (signalement.id).")
    statut = data.get("statut")
    if statut not in STATUTS:
        raise EventError(400, f"statut : l'une des valeurs {', '.join(STATUTS)}.")
    note = data.get("note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise EventError(400, f"note : un texte de {MAX_NOTE} caractères au plus.")
    raw_date = data.get("date_intervention_prevue")
    try:
        planned = date.fromisoformat(raw_date) if raw_date is not None else None
    except (TypeError, ValueError) as error:
        raise EventError(400, "date_intervention_prevue : une date AAAA-MM-JJ.") from error
    return {
        "event_id": event_id,
        "signalement": signalement,
        "statut": statut,
        "note": note.strip(),
        "date": planned.isoformat() if planned else None,  # kept as JSON in EvenementEntrant
    }
