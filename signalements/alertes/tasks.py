from celery import shared_task

from . import services


@shared_task(name="signalements.alertes.send_alerts", ignore_result=True)
def send_alerts(report_pk, kind):
    """Immediate alerts about one new or resolved report; idempotent."""
    return services.send_alerts(report_pk, kind)


@shared_task(name="signalements.alertes.sweep_immediate_alerts")
def sweep_immediate_alerts():
    """Beat sweep: the alerts of the last hours that the broker missed (down at commit time)."""
    return sum(services.send_alerts(pk, kind) for pk, kind in services.recent_events())


@shared_task(name="signalements.alertes.send_daily_digests")
def send_daily_digests():
    """Beat, once a day: yesterday's reports for each daily subscription."""
    return services.send_digests()


@shared_task(name="signalements.alertes.delete_unconfirmed")
def delete_unconfirmed():
    """Subscriptions never confirmed are deleted after ALERTES_CONFIRMATION_HOURS."""
    return services.delete_unconfirmed()
