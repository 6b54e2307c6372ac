"""Who gets which report, worked out in PostGIS.

Immediate alerts start from one report and look for the subscriptions around it (a few thousand
rows: the btree on the active subscriptions, the GiST index on their centres, the sixteen
arrondissements). Digests start from the subscriptions due and join them with the day's reports
in one run: the day's events are read once (new ones through the ``created_at`` index, resolved
ones through ``resolved_at``) for all the subscriptions, not once per subscription.
"""

from datetime import timedelta

from django.db import connection, transaction
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


EVENTS_TABLE = "alertes_evenements"


def _digest_sql():
    """Two statements: the day's events into a temporary table with its own indexes, then the
    three kinds of zone each joined through an index (commune id, the arrondissement's polygon
    over the events' GiST, each circle over the same GiST), instead of every pair tested."""
    abonnement = Abonnement._meta.db_table
    signalement = Signalement._meta.db_table
    zone = Zone._meta.db_table
    due = f"""
        SELECT id, zone_type, commune_id, arrondissement_id, centre, rayon_m, nouveaux, resolus,
               GREATEST(sent_until, %(oldest)s) AS since
        FROM {abonnement}
        WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL
          AND frequence = %(frequence)s AND sent_until < %(until)s
    """  # noqa: S608 - table names are ours
    events = f"""
        CREATE TEMPORARY TABLE {EVENTS_TABLE} ON COMMIT DROP AS
        WITH due AS ({due}), window_start AS (SELECT min(since) AS at FROM due)
        SELECT s.id, %(nouveau)s AS kind, s.created_at AS at, s.commune_id, s.geom
        FROM {signalement} s, window_start w
        WHERE s.created_at > w.at AND s.created_at <= %(until)s AND s.rejection_reason <> %(spam)s
        UNION ALL
        SELECT s.id, %(resolu)s, s.resolved_at, s.commune_id, s.geom
        FROM {signalement} s, window_start w
        WHERE s.resolved_at > w.at AND s.resolved_at <= %(until)s AND s.rejection_reason <> %(spam)s
    """  # noqa: S608
    indexes = [
        f"CREATE INDEX ON {EVENTS_TABLE} USING gist (geom)",
        f"CREATE INDEX ON {EVENTS_TABLE} (commune_id)",
        f"ANALYZE {EVENTS_TABLE}",
    ]
    wanted = "e.at > d.since AND CASE e.kind WHEN %(nouveau)s THEN d.nouveaux ELSE d.resolus END"
    matches = f"""
        WITH due AS ({due})
        SELECT d.id, e.id, e.kind, e.at FROM due d JOIN {EVENTS_TABLE} e ON e.commune_id = d.commune_id
        WHERE d.zone_type = %(commune)s AND {wanted}
        UNION ALL
        SELECT d.id, e.id, e.kind, e.at FROM due d JOIN {zone} z ON z.id = d.arrondissement_id
        JOIN {EVENTS_TABLE} e ON ST_Within(e.geom, z.geom)
        WHERE d.zone_type = %(arrondissement)s AND {wanted}
        UNION ALL
        SELECT d.id, e.id, e.kind, e.at FROM due d
        JOIN {EVENTS_TABLE} e ON ST_DWithin(e.geom, d.centre, d.rayon_m)
        WHERE d.zone_type = %(rayon)s AND {wanted}
        ORDER BY 1, 4
    """  # noqa: S608
    return events, indexes, matches


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
    events, indexes, matches = _digest_sql()
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped at commit; and before, in case a caller's transaction already made one.
        cursor.execute(f"DROP TABLE IF EXISTS {EVENTS_TABLE}")
        cursor.execute(events, params)
        for statement in indexes:
            cursor.execute(statement)
        cursor.execute(matches, params)
        return [row[:3] for row in cursor.fetchall()]


def due_digests(until):
    return active().filter(frequence=Frequence.QUOTIDIENNE, sent_until__lt=until)
