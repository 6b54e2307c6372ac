from .donnees import contenus_recherche  # noqa: F401  (the fixture, shared with the browser test)
