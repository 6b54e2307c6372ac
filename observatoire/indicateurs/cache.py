"""Cache of what is computed from indicator values, dropped as soon as values change.

Every key carries a version number kept in Redis; ``Valeur.objects.upsert`` bumps it once its
transaction commits, so no page ever shows values older than the last import, and a reader
racing the import caches under the old version, which nobody asks for again. The time limit
is only a backstop for values changed some other way (the admin, a shell).
"""

from django.core.cache import cache

VERSION_KEY = "indicateurs:version"
TIMEOUT = 24 * 3600


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted: any new number differs from the cached ones
        cache.set(VERSION_KEY, 2, timeout=None)


def cached(name, parts, compute, timeout=TIMEOUT):
    key = ":".join(["indicateurs", str(version()), name, *(str(part) for part in parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
