"""The alert e-mails, queued in the signalements outbox (Celery sends them after commit).

Anyone can subscribe to any zone, so a mail says only what the public map says: category,
commune, status, the position rounded as everywhere else, and the description once a manager
has validated it. Never the reporter, never an unread description.
"""

from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from observatoire.core.publish import publish_quietly

from ..models import Notification
from ..positions import public_coordinate
from ..tasks import send_notification
from .matching import NOUVEAU
from .perimetre import Perimetre

# Which alert of which subscription a mail is (« <subscription id>:<kind> »): a retried task skips it.
ALERT_HEADER = "X-Observatoire-Alerte"
# A digest lists at most this many reports of each kind (the latest); the map shows the rest.
DIGEST_ITEMS = 50


def public_item(report, kind):
    """What anyone may read about a report; ``report`` comes annotated by ``with_lonlat()``."""
    return {
        "pk": report.pk,
        "kind": kind,
        "reference": report.reference,
        "categorie": report.categorie.nom,
        "commune": report.commune.nom,
        "statut": report.get_status_display(),
        "date": report.created_at if kind == NOUVEAU else report.resolved_at,
        "lat": public_coordinate(report.lat),
        "lon": public_coordinate(report.lon),
        "description": report.description if report.is_published else "",
    }


def links(abonnement):
    token = abonnement.token
    return {
        "desabonnement_url": settings.SITE_URL + reverse("signalements-alertes:desabonnement", args=[token]),
        "confirmation_url": settings.SITE_URL + reverse("signalements-alertes:confirmation", args=[token]),
        "carte_url": settings.SITE_URL + reverse("signalements-carte:carte"),
    }


def unsubscribe_headers(abonnement):
    """RFC 2369 and RFC 8058: the mail client unsubscribes in one click, by a POST to the link."""
    mailto = f"mailto:{settings.DEFAULT_FROM_EMAIL}?subject={quote('désabonnement ' + abonnement.token)}"
    return {
        "List-Unsubscribe": f"<{links(abonnement)['desabonnement_url']}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _queue(recipient, subject, template, context, *, signalement=None, headers=None):
    body = render_to_string(template, context)
    notification = Notification.objects.create(
        signalement=signalement, recipient=recipient, subject=subject, body=body, headers=headers or {}
    )
    transaction.on_commit(lambda: publish_quietly(send_notification, notification.pk))
    return notification


def _context(abonnement, **extra):
    return {"abonnement": abonnement, "zone": Perimetre.of(abonnement).label, **links(abonnement), **extra}


def queue_confirmation(abonnement):
    hours = settings.ALERTES_CONFIRMATION_HOURS
    return _queue(
        abonnement.email,
        "Confirmez votre abonnement aux alertes de signalements",
        "signalements/email/alerte_confirmation.txt",
        _context(abonnement, heures=hours),
    )


def queue_alert(abonnement, report, kind):
    """One report, one subscription; the mail is attached to the report (erased with its personal data)."""
    item = public_item(report, kind)
    what = "Nouveau signalement" if kind == NOUVEAU else "Signalement résolu"
    return _queue(
        abonnement.email,
        f"{what} {Perimetre.of(abonnement).label} : {item['categorie']}",
        "signalements/email/alerte_immediate.txt",
        _context(abonnement, item=item),
        signalement=report,
        headers={**unsubscribe_headers(abonnement), ALERT_HEADER: alert_key(abonnement, kind)},
    )


def alert_key(abonnement, kind):
    return f"{abonnement.pk}:{kind}"


def queue_digest(abonnement, items, day):
    """The day's reports of one subscription; a busy zone (a whole city) lists the latest ones."""
    nouveaux = [item for item in items if item["kind"] == NOUVEAU]
    resolus = [item for item in items if item["kind"] != NOUVEAU]
    return _queue(
        abonnement.email,
        f"Signalements {Perimetre.of(abonnement).label} : résumé du {day:%d/%m/%Y}",
        "signalements/email/alerte_resume.txt",
        _context(
            abonnement,
            nouveaux=nouveaux[-DIGEST_ITEMS:],
            nouveaux_total=len(nouveaux),
            resolus=resolus[-DIGEST_ITEMS:],
            resolus_total=len(resolus),
            jour=day,
        ),
        headers=unsubscribe_headers(abonnement),
    )
