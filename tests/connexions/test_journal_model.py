from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from observatoire.connexions import journal
from observatoire.connexions.enums import EventType
from observatoire.connexions.models import AppendOnlyError, EvenementConnexion
from tests.factories import UserFactory


def test_record_keeps_account_actor_address_browser_and_details():
    user = UserFactory(email="Agent@Exemple.fr".lower())
    admin = UserFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="x" * 500)
    event = journal.record(
        EventType.ROLE_ADDED, request=request, user=user, actor=admin, role="rssi", method="admin"
    )
    event.refresh_from_db()
    assert (event.type, event.user, event.email, event.actor, event.actor_email) == (
        "role_added",
        user,
        user.email,
        admin,
        admin.email,
    )
    assert (event.ip, len(event.user_agent), event.method, event.details) == (
        "203.0.113.7",
        300,
        "admin",
        {"role": "rssi"},
    )


def test_an_unknown_address_is_kept_without_an_account():
    event = journal.record(EventType.LOGIN_FAILED, email="Personne@Exemple.fr", reason="inconnu")
    assert event.user is None and event.email == "personne@exemple.fr"


def test_record_never_fails_the_action_it_logs(caplog):
    assert journal.record("not_an_event") is None
    assert "non journalisé" in caplog.text


def test_record_in_a_broken_transaction_does_not_raise(caplog):
    user = UserFactory()
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")
        assert journal.record(EventType.LOGIN, user=user) is not None


def test_rows_are_never_changed_nor_deleted_by_the_orm():
    event = journal.record(EventType.LOGIN, user=UserFactory())
    event.method = "autre"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        EvenementConnexion.objects.all().update(method="autre")
    with pytest.raises(AppendOnlyError):
        EvenementConnexion.objects.all().delete()


def test_the_database_refuses_an_update_or_delete_in_sql():
    event = journal.record(EventType.LOGIN, user=UserFactory())
    for statement in (
        "UPDATE connexions_evenementconnexion SET type = 'logout' WHERE id = %s",
        "DELETE FROM connexions_evenementconnexion WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert EvenementConnexion.objects.filter(pk=event.pk, type="login").exists()


def test_deleting_an_account_keeps_its_events_with_the_address():
    user = UserFactory(email="parti@exemple.fr")
    admin = UserFactory(email="admin@exemple.fr")
    event = journal.record(EventType.ROLE_REMOVED, user=user, actor=admin)
    user.delete()
    admin.delete()
    event.refresh_from_db()
    assert (event.user, event.email, event.actor, event.actor_email) == (
        None,
        "parti@exemple.fr",
        None,
        "admin@exemple.fr",
    )


def test_purge_deletes_only_events_older_than_the_limit():
    old = EvenementConnexion.objects.create(type=EventType.LOGIN, at=timezone.now() - timedelta(days=366))
    recent = EvenementConnexion.objects.create(type=EventType.LOGIN, at=timezone.now() - timedelta(days=364))
    assert EvenementConnexion.objects.purge(timezone.now() - timedelta(days=365)) == 1
    assert list(EvenementConnexion.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not EvenementConnexion.objects.filter(pk=old.pk).exists()
