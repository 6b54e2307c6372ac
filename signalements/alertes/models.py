"""Area alerts: e-mails (immediate or daily digest) about new and/or resolved reports in a zone.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``).
"""

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone


def new_alert_token():
    return secrets.token_urlsafe(24)


class ZoneAlerte(models.TextChoices):
    COMMUNE = "commune", "Commune"
    ARRONDISSEMENT = "arrondissement", "Arrondissement"
    RAYON = "rayon", "Autour d'un lieu"


class Frequence(models.TextChoices):
    IMMEDIATE = "immediate", "À chaque signalement"
    QUOTIDIENNE = "quotidienne", "Résumé quotidien"


class Abonnement(models.Model):
    """One subscription, confirmed by a link sent to the address (double opt-in)."""

    email = models.EmailField()
    zone_type = models.CharField(max_length=20, choices=ZoneAlerte.choices)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    arrondissement = models.ForeignKey(
        "territoires.Zone", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    centre = models.PointField(srid=settings.STORAGE_SRID, null=True, blank=True)
    rayon_m = models.PositiveIntegerField(null=True, blank=True)
    lieu = models.CharField(max_length=300, blank=True, help_text="Le lieu en mots, pour les courriels.")
    nouveaux = models.BooleanField("nouveaux signalements", default=True)
    resolus = models.BooleanField("signalements résolus", default=False)
    frequence = models.CharField(max_length=20, choices=Frequence.choices, default=Frequence.QUOTIDIENNE)
    token = models.CharField(max_length=40, unique=True, default=new_alert_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Everything up to this moment was already sent (immediate) or summed up (digest).
    sent_until = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "signalements"
        ordering = ["-created_at"]
        verbose_name = "abonnement aux alertes"
        verbose_name_plural = "abonnements aux alertes"
        indexes = [
            models.Index(fields=["confirmed_at", "unsubscribed_at", "frequence"], name="abonnement_actifs")
        ]

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None
