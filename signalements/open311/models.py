"""API keys of the Open311 clients allowed to file reports.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``) so that
its migrations live with the other report tables.
"""

import secrets

from django.db import models
from django.utils import timezone


def new_api_key():
    return secrets.token_urlsafe(24)


class ApiKey(models.Model):
    """One Open311 client (an application, an aggregator): it sends ``api_key`` with each POST."""

    key = models.CharField("clé", max_length=64, unique=True, default=new_api_key, editable=False)
    name = models.CharField(
        "client", max_length=200, help_text="Qui utilise cette clé : application, organisme, contact."
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Décocher pour refuser les dépôts de ce client sans effacer la clé."
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        app_label = "signalements"
        ordering = ["name"]
        verbose_name = "clé d'API Open311"
        verbose_name_plural = "clés d'API Open311"

    def __str__(self):
        return self.name
