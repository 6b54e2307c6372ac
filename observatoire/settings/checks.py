from django.core.exceptions import ImproperlyConfigured

from .base import DEV_SECRET_KEY


def check_production_settings(secret_key, debug, allowed_hosts):
    """Raise ImproperlyConfigured with a plain message for each unsafe value."""
    problems = []
    if not secret_key or secret_key == DEV_SECRET_KEY or len(secret_key) < 32:
        problems.append(
            "SECRET_KEY doit être défini (au moins 32 caractères, différent de la valeur de développement)."
        )
    if debug:
        problems.append("DEBUG doit valoir False en production.")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS doit lister les noms de domaine servis.")
    if problems:
        raise ImproperlyConfigured("Configuration de production refusée : " + " ".join(problems))
