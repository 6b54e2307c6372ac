"""Settings of the second portal that plays a service's own system in the liaisons tests.

Its database comes from DATABASE_URL (``<ours>_service``); its tasks run eagerly, so it never
publishes to the broker of the instance under test; its cache keys have their own prefix.
"""

from observatoire.settings.test import *  # noqa: F403
from observatoire.settings.test import CACHES, env

CACHES["default"]["KEY_PREFIX"] = "observatoire-service"
CELERY_TASK_ALWAYS_EAGER = True
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8831")
