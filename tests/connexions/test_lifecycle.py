"""Staff accounts unused for ACCOUNT_INACTIVITY_DAYS are warned a week before, then disabled, and a
disabled or departed account loses its API token and sessions at once (real PostGIS and Redis)."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from observatoire.accounts import lifecycle
from observatoire.accounts.enums import Role
from observatoire.accounts.models import User
from observatoire.celery import app
from observatoire.connexions.models import ActiveSession, EvenementConnexion
from tests.conftest import load_reference_data
from tests.factories import PASSWORD, UserFactory


def idle(user, days, now=None):
    """The account last signed in ``days`` ago (and was created long before)."""
    now = now or timezone.now()
    User.objects.filter(pk=user.pk).update(
        last_login=now - timedelta(days=days), date_joined=now - timedelta(days=days + 400)
    )
    return user


def test_an_account_a_week_from_the_limit_is_warned_once_by_mail_after_commit(
    django_capture_on_commit_callbacks,
):
    agent = idle(UserFactory(email="agent@exemple.fr", role=Role.AGENT_METROPOLITAIN), days=84)
    with django_capture_on_commit_callbacks(execute=True):
        report = lifecycle.run()
    assert report.warned == ["agent@exemple.fr"] and report.disabled == []
    assert [m.to for m in mail.outbox] == [["agent@exemple.fr"]]
    body = mail.outbox[0].body
    assert "inutilisés pendant 90 jours" in body and "/comptes/login/" in body
    assert EvenementConnexion.objects.filter(type="account_warning", user=agent).count() == 1
    # The next days' runs do not warn again.
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.run(now=timezone.now() + timedelta(days=2)).warned == []
    assert len(mail.outbox) == 1
    agent.refresh_from_db()
    assert agent.is_active


def test_no_mail_leaves_when_the_run_is_rolled_back(django_capture_on_commit_callbacks):
    idle(UserFactory(role=Role.ELU), days=85)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lifecycle.run()
    assert len(callbacks) == 1 and mail.outbox == []


def test_past_the_limit_a_staff_account_is_disabled_and_loses_token_and_sessions():
    partner = UserFactory(email="partenaire@exemple.fr", role=Role.PARTENAIRE)
    Token.objects.create(user=partner)
    browser = Client()
    browser.post(reverse("login"), {"username": partner.email, "password": PASSWORD})
    ActiveSession.objects.filter(user=partner).update(last_seen=timezone.now() - timedelta(days=91))
    idle(partner, days=91)
    report = lifecycle.run()
    assert report.disabled == ["partenaire@exemple.fr"]
    partner.refresh_from_db()
    assert not partner.is_active
    assert not Token.objects.filter(user=partner).exists()
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    assert browser.get(reverse("profile")).status_code == 302
    rows = EvenementConnexion.objects.filter(user=partner, at__gte=timezone.now() - timedelta(minutes=1))
    assert [
        (e.type, e.actor, e.details.get("reason"))
        for e in rows.exclude(type__in=["login", "role_added"]).order_by("pk")
    ] == [
        ("account_disabled", None, "inactivité"),
        ("tokens_revoked", None, None),
        ("session_ended", None, "inactivité"),
    ]
    # Idempotent: the same day's second run finds nothing to do.
    second = lifecycle.run()
    assert (second.warned, second.disabled) == ([], [])


def test_who_is_concerned():
    now = timezone.now()
    citizen = idle(UserFactory(role=Role.CITOYEN), days=400)
    roleless = idle(
        UserFactory(email="sans-role@exemple.fr"), days=100
    )  # a first ProConnect login, no role yet
    superuser = idle(User.objects.create_superuser("root@exemple.fr", "x-solide-123"), days=100)
    demo = idle(UserFactory(email="elu@demo.observatoire.local", role=Role.ELU), days=400)
    citizen_and_agent = idle(UserFactory(email="double@exemple.fr", role=Role.CITOYEN), days=100)
    citizen_and_agent.groups.add(*UserFactory(role=Role.AGENT_COMMUNAL).groups.all())
    never = UserFactory(email="jamais@exemple.fr", role=Role.DPO)
    User.objects.filter(pk=never.pk).update(last_login=None, date_joined=now - timedelta(days=95))
    # Old last login but a session still in use yesterday: in use.
    active = idle(UserFactory(email="actif@exemple.fr", role=Role.AGD), days=200)
    ActiveSession.objects.create(session_key="k" * 32, user=active, last_seen=now - timedelta(days=1))
    report = lifecycle.run(now=now)
    assert sorted(report.disabled) == [
        "double@exemple.fr", "jamais@exemple.fr", "root@exemple.fr", "sans-role@exemple.fr",
    ]  # fmt: skip
    for user in (citizen, demo, active):
        user.refresh_from_db()
        assert user.is_active
    assert not User.objects.get(pk=roleless.pk).is_active
    assert not User.objects.get(pk=superuser.pk).is_active


def test_signing_in_again_after_a_warning_starts_the_count_over(settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_INACTIVITY_DAYS = 30
    agent = idle(UserFactory(role=Role.CHARGE_ETUDES), days=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(lifecycle.run().warned) == 1
    idle(agent, days=0)  # signs in today
    later = timezone.now() + timedelta(days=25)
    with django_capture_on_commit_callbacks(execute=True):
        report = lifecycle.run(now=later)
    assert len(report.warned) == 1 and report.disabled == []
    assert len(mail.outbox) == 2
    assert len(lifecycle.run(now=later + timedelta(days=6)).disabled) == 1


def test_the_admin_departure_action_disables_and_cuts_access(client):
    chef = User.objects.create_superuser("chef@exemple.fr", "un-mot-de-passe-solide")
    leaving = [UserFactory(role=Role.AGENT_METROPOLITAIN) for _ in range(2)]
    for user in leaving:
        Token.objects.create(user=user)
    browser = Client()
    browser.post(reverse("login"), {"username": leaving[0].email, "password": PASSWORD})
    client.force_login(chef)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "depart", "_selected_action": [u.pk for u in leaving]},
        follow=True,
    )
    assert "2 comptes désactivés" in response.content.decode()
    assert not User.objects.filter(pk__in=[u.pk for u in leaving], is_active=True).exists()
    assert not Token.objects.filter(user__in=leaving).exists()
    assert browser.get(reverse("profile")).status_code == 302
    disabled = EvenementConnexion.objects.filter(type="account_disabled", user__in=leaving)
    assert (
        sorted((e.actor_email, e.details["reason"]) for e in disabled) == [("chef@exemple.fr", "départ")] * 2
    )


def test_the_journal_purge_forgets_events_older_than_a_year(settings):
    from observatoire.connexions.tasks import purge_journal

    now = timezone.now()
    EvenementConnexion.objects.create(type="login", at=now - timedelta(days=366))
    kept = EvenementConnexion.objects.create(type="login", at=now - timedelta(days=300))
    assert purge_journal() == {"evenements": 1, "sessions": 0}
    assert list(EvenementConnexion.objects.values_list("pk", flat=True)) == [kept.pk]
    settings.CONNEXIONS_RETENTION_DAYS = 200
    assert purge_journal()["evenements"] == 1 and not EvenementConnexion.objects.exists()


def test_both_tasks_are_named_and_scheduled_once_a_day():
    app.loader.import_default_modules()  # what a worker does at start: the apps' tasks modules
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    for name in ("accounts.disable_inactive_accounts", "connexions.purge_journal"):
        assert name in app.tasks
        assert isinstance(schedule[name], crontab)
        assert len(schedule[name].hour) == 1 and len(schedule[name].minute) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_lifecycle_and_the_purge_through_redis():
    load_reference_data()
    idle(UserFactory(email="oublie@exemple.fr", role=Role.ELU), days=120)
    idle(UserFactory(email="bientot@exemple.fr", role=Role.ELU), days=85)
    EvenementConnexion.objects.create(type="login", at=timezone.now() - timedelta(days=400))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        lifecycle_result = app.send_task("accounts.disable_inactive_accounts").get(timeout=20)
        purge_result = app.send_task("connexions.purge_journal").get(timeout=20)
        again = app.send_task("accounts.disable_inactive_accounts").get(timeout=20)
    assert lifecycle_result == {"warned": 1, "disabled": 1, "busy": False}
    assert purge_result == {"evenements": 1, "sessions": 0}
    assert again == {"warned": 0, "disabled": 0, "busy": False}
    assert not User.objects.get(email="oublie@exemple.fr").is_active
    assert [m.to for m in mail.outbox] == [["bientot@exemple.fr"]]
