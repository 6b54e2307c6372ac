"""The categories and their questions, read on every filing, kept in Redis under one version.

Filing needs the chosen category and its questions: two ORM queries that cost ~5 ms of CPU for rows
that change a few times a year. Each copy carries the version it was built from; any save or delete
of a category, question or choice bumps the version (now, and again at commit: see
``SignalementsConfig.ready``), so a copy built concurrently from older rows is never taken for the
current one. Ten minutes at most for a change made without signals (``QuerySet.update``, raw SQL).
"""

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "signalements:referentiel:version"
COPY_SECONDS = 600


def cached(key, build):
    """``build()``'s result, from Redis while the version it was built under is current."""
    stored = cache.get_many([key, VERSION_KEY])
    version = stored.get(VERSION_KEY, 0)
    copy = stored.get(key)
    if copy is not None and copy[0] == version:
        return copy[1]
    value = build()
    cache.set(key, (version, value), COPY_SECONDS)
    return value


def forget(**kwargs):
    """Signal receiver: a category, question or choice changed."""
    _bump_version()
    transaction.on_commit(_bump_version)


def _bump_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def filing_categories():
    """The categories people choose when filing (active, top-level), by code."""
    from .models import Categorie

    return cached(
        "signalements:referentiel:categories",
        lambda: {c.code: c for c in Categorie.objects.filter(parent__isnull=True, is_active=True)},
    )
