"""Who gets which report, worked out in PostGIS.

Immediate alerts start from one report and look for the subscriptions around it (a few thousand
rows: the btree on the active subscriptions, the GiST index on their centres, the sixteen
arrondissements). Digests start from the subscriptions due and join them with the day's reports
in one query: the day's new reports come through the ``created_at`` index, and those resolved
that day in one pass over ``resolved_at`` for the whole run, not one per subscription.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import F, Q

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone

from ..enums import RejectionReason
from ..models import Signalement
from .models import Abonnement, Frequence, ZoneAlerte

NOUVEAU = "nouveau"
RESOLU = "resolu"
KIND_FIELD = {NOUVEAU: "nouveaux", RESOLU: "resolus"}
# A digest never reaches further back than this, even after beat stopped for a while.
DIGEST_MAX_DAYS = 7


def active():
    return Abonnement.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def immediate_subscriptions(report, kind, at):
    """Confirmed immediate subscriptions (confirmed by ``at``) whose zone holds ``report``."""
    arrondissements = Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, geom__contains=report.geom)
    return (
        active()
        .filter(frequence=Frequence.IMMEDIATE, confirmed_at__lte=at, **{KIND_FIELD[kind]: True})
        .filter(
            Q(zone_type=ZoneAlerte.COMMUNE, commune_id=report.commune_id)
            | Q(zone_type=ZoneAlerte.ARRONDISSEMENT, arrondissement__in=arrondissements.values("pk"))
            | Q(zone_type=ZoneAlerte.RAYON, centre__dwithin=(report.geom, F("rayon_m")))
        )
    )


def _digest_sql():
    abonnement = Abonnement._meta.db_table
    signalement = Signalement._meta.db_table
    zone = Zone._meta.db_table
    return f"""
        WITH due AS (
            SELECT id, zone_type, commune_id, arrondissement_id, centre, rayon_m, nouveaux, resolus,
                   GREATEST(sent_until, %(oldest)s) AS since
            FROM {abonnement}
            WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL
              AND frequence = %(frequence)s AND sent_until < %(until)s
        ), window_start AS (SELECT min(since) AS at FROM due),
        events AS (
            SELECT s.id, %(nouveau)s AS kind, s.created_at AS at, s.commune_id, s.geom
            FROM {signalement} s, window_start w
            WHERE s.created_at > w.at AND s.created_at <= %(until)s AND s.rejection_reason <> %(spam)s
            UNION ALL
            SELECT s.id, %(resolu)s, s.resolved_at, s.commune_id, s.geom
            FROM {signalement} s, window_start w
            WHERE s.resolved_at > w.at AND s.resolved_at <= %(until)s AND s.rejection_reason <> %(spam)s
        )
        SELECT d.id, e.id, e.kind
        FROM due d
        JOIN events e ON e.at > d.since AND CASE e.kind WHEN %(nouveau)s THEN d.nouveaux ELSE d.resolus END
        LEFT JOIN {zone} z ON z.id = d.arrondissement_id
        WHERE (d.zone_type = %(commune)s AND e.commune_id = d.commune_id)
           OR (d.zone_type = %(arrondissement)s AND ST_Within(e.geom, z.geom))
           OR (d.zone_type = %(rayon)s AND ST_DWithin(e.geom, d.centre, d.rayon_m))
        ORDER BY d.id, e.at
    """  # noqa: S608 - table names are ours


def digest_events(until):
    """[(subscription id, report id, kind)] for the daily subscriptions due at ``until``."""
    params = {
        "until": until,
        "oldest": until - timedelta(days=DIGEST_MAX_DAYS),
        "frequence": Frequence.QUOTIDIENNE,
        "nouveau": NOUVEAU,
        "resolu": RESOLU,
        "spam": RejectionReason.SPAM,
        "commune": ZoneAlerte.COMMUNE,
        "arrondissement": ZoneAlerte.ARRONDISSEMENT,
        "rayon": ZoneAlerte.RAYON,
    }
    with connection.cursor() as cursor:
        cursor.execute(_digest_sql(), params)
        return cursor.fetchall()


def due_digests(until):
    return active().filter(frequence=Frequence.QUOTIDIENNE, sent_until__lt=until)
