from .valeurs import indicateurs  # noqa: F401  (the fixture, shared with the browser tests)
