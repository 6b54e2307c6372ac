"""The RSSI's journal of identity events (issue 14): the one function every part of the portal calls.

``record`` must never fail the action it logs, and takes only what it needs: the event type (see
``EventType`` in ``observatoire.connexions.models``), the account concerned (``user``, or the e-mail
typed when no account matches), who did it when it is someone else (``actor``: an admin changing a
role), the request when there is one (IP, user agent) and a few details (JSON).
"""

import logging

logger = logging.getLogger(__name__)


def record(event_type, *, request=None, user=None, email="", actor=None, **details):
    from .models import EvenementConnexion

    try:
        return EvenementConnexion.objects.record(
            event_type, request=request, user=user, email=email, actor=actor, details=details
        )
    except Exception:  # an event nobody can see is worse than a log line: say it loudly, don't fail
        logger.exception("Événement de connexion non journalisé : %s", event_type)
        return None
