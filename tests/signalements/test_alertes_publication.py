"""Filing publishes an alert task only while someone wants immediate alerts of that kind."""

from signalements.alertes import services as alertes
from signalements.alertes.matching import NOUVEAU, RESOLU
from signalements.alertes.models import Frequence

from .alertes_data import abonnement, file_report


def test_no_task_is_published_while_nobody_wants_immediate_alerts(
    marseille_setup, categories, django_capture_on_commit_callbacks
):
    abonnement("quotidien@exemple.fr", commune=marseille_setup, frequence=Frequence.QUOTIDIENNE)
    with django_capture_on_commit_callbacks() as callbacks:
        file_report(categories)
    with_alerts = len(callbacks)

    abonnement("immediat@exemple.fr", commune=marseille_setup)
    with django_capture_on_commit_callbacks() as callbacks:
        file_report(categories)
    # One more callback after commit: the alert task (the confirmation mail is there both times).
    assert len(callbacks) == with_alerts + 1
    assert alertes.immediate_subscribers_exist(NOUVEAU)
    assert not alertes.immediate_subscribers_exist(RESOLU)


def test_an_unconfirmed_subscription_does_not_count(marseille_setup):
    abonnement("attente@exemple.fr", commune=marseille_setup, confirmed=False)
    assert not alertes.immediate_subscribers_exist(NOUVEAU)
