"""The RSSI's journal of identity events and the map of active sessions (issue 14)."""

import json
import logging

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from observatoire.core.client import client_ip

from .enums import EventType

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = 300
# The database refuses a DELETE on the journal unless the transaction set this (see the migration).
PURGE_SETTING = "connexions.purge"


class AppendOnlyError(Exception):
    """The journal is append-only: a row is never changed, only purged after its retention."""


def _json_safe(details):
    # A detail the encoder cannot write (a model, a set) is kept as its text rather than losing the event.
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder, default=str))


class EvenementConnexionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal des connexions ne se modifie pas.")

    def delete(self):
        raise AppendOnlyError("Le journal des connexions ne se supprime que par sa purge.")

    def purge(self, before):
        """Delete the events older than ``before``: the retention task alone calls this."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
            count, _ = models.QuerySet.delete(self.filter(at__lt=before))
        return count


class EvenementConnexionManager(models.Manager.from_queryset(EvenementConnexionQuerySet)):
    def record(self, event_type, *, request=None, user=None, email="", actor=None, details=None):
        """Append one event in a savepoint, so a failure here never undoes the action logged."""
        details = dict(details or {})
        method = str(details.pop("method", "") or details.pop("provider", "") or "")
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None  # AnonymousUser
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None
        event = self.model(
            type=EventType(event_type),
            user=user,
            email=(user.email if user is not None else email or "")[:254].lower(),
            actor=actor,
            actor_email=actor.email if actor is not None else "",
            method=method[:40],
            details=_json_safe(details),
        )
        if request is not None:
            event.ip = client_ip(request)
            event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
        with transaction.atomic():
            event.save(force_insert=True)
        if request is not None and user is not None:
            recorded_in(request).add((event.type, user.pk))
        return event


def recorded_in(request):
    """The (type, account) pairs already journaled while serving ``request``: a login or logout
    recorded by its own view (OpenID Connect, with the provider's details) is not recorded twice."""
    if not hasattr(request, "_connexions_recorded"):
        request._connexions_recorded = set()
    return request._connexions_recorded


class EvenementConnexion(models.Model):
    """One identity event: kept a year (``CONNEXIONS_RETENTION_DAYS``), never changed."""

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept when the account is deleted, and the address typed when no account matched.
    email = models.CharField("compte", max_length=254, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    actor_email = models.CharField("auteur (adresse)", max_length=254, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=USER_AGENT_LENGTH, blank=True)
    # password, admin, proconnect, franceconnect, totp, recovery, webauthn, task…
    method = models.CharField("méthode", max_length=40, blank=True)
    details = models.JSONField("détails", default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = EvenementConnexionManager()

    class Meta:
        verbose_name = "événement de connexion"
        verbose_name_plural = "journal des connexions"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="connexions_user_at")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%d/%m/%Y %H:%M} {self.get_type_display()} {self.email}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Le journal des connexions ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des connexions ne se supprime que par sa purge.")


class ActiveSession(models.Model):
    """A signed-in session of a user, so they can see and end it (« Mes sessions »)."""

    session_key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_sessions"
    )
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    last_seen = models.DateTimeField("dernière activité", default=timezone.now)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=USER_AGENT_LENGTH, blank=True)
    method = models.CharField("méthode", max_length=40, blank=True)

    class Meta:
        verbose_name = "session active"
        verbose_name_plural = "sessions actives"
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.user} ({timezone.localtime(self.last_seen):%d/%m/%Y %H:%M})"
