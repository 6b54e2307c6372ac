"""Liveness of the parts the portal depends on, for /health/ and monitoring."""

import logging

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "celery:heartbeat"

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT PostGIS_Lib_Version()")
        return {"postgis": cursor.fetchone()[0]}


def check_broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {}


def check_cache():
    cache.set("health:probe", "ok", 10)
    if cache.get("health:probe") != "ok":
        raise RuntimeError("lecture du cache impossible")
    return {"celery_heartbeat": cache.get(HEARTBEAT_KEY)}


CHECKS = {"database": check_database, "broker": check_broker, "cache": check_cache}


def run_checks():
    """(healthy, report): each part is "ok" or "erreur".

    /health/ is public: an error text names hosts, ports and versions, so the details go to the
    logs and into the answer only in development (DEBUG).
    """
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            extra = check()
        except Exception as error:  # any failure makes the part unhealthy (and is logged)
            healthy = False
            logger.exception("Contrôle de santé en échec : %s", name)
            report[name] = f"erreur : {error.__class__.__name__}: {error}" if settings.DEBUG else "erreur"
        else:
            report[name] = "ok"
            report.update(extra)
    report["status"] = "ok" if healthy else "degraded"
    return healthy, report
