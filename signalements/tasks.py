from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from . import grid, idempotency, ratelimit, retention
from .clusters import cell_size
from .models import Notification, Photo
from .photos import thumbnail_of

MAX_ATTEMPTS = 5


# No result: nobody waits for one, and subscribing to it would hang on a dead broker.
@shared_task(name="signalements.send_notification", ignore_result=True)
def send_notification(pk):
    """Send one outbox e-mail; idempotent (a sent one is skipped), safe to retry."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if notification is None or notification.sent_at is not None:
            return False
        notification.attempts += 1
        try:
            EmailMessage(
                notification.subject,
                notification.body,
                to=[notification.recipient],
                headers=notification.headers,
            ).send()
        except OSError as error:
            notification.last_error = str(error)
            notification.save(update_fields=["attempts", "last_error"])
            return False
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "sent_at", "last_error"])
    return True


@shared_task(name="signalements.send_pending_notifications")
def send_pending_notifications():
    """Beat sweep: whatever the broker missed (outage) or the mail server refused goes out now."""
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list(
        "pk", flat=True
    )
    return sum(send_notification(pk) for pk in list(pending[:500]))


@shared_task(name="signalements.purge_personal_data")
def purge_personal_data():
    """GDPR retention: erase reporters' data some months after closure; the report itself stays."""
    return retention.purge_personal_data()


@shared_task(name="signalements.purge_expired_keys")
def purge_expired_keys():
    """Drop idempotency keys past their day and limit counters of windows over."""
    return idempotency.purge_expired() + ratelimit.purge_expired()


@shared_task(name="signalements.make_thumbnail", ignore_result=True)
def make_thumbnail(photo_pk):
    """Idempotent: a photo that already has its thumbnail is left alone."""
    photo = Photo.objects.filter(pk=photo_pk, thumbnail="").first()
    if photo is None:
        return False
    with photo.image.open("rb") as image_file:
        photo.thumbnail.save("vignette.jpg", thumbnail_of(image_file), save=False)
    Photo.objects.filter(pk=photo.pk, thumbnail="").update(thumbnail=photo.thumbnail.name)
    return True


@shared_task(name="signalements.make_missing_thumbnails")
def make_missing_thumbnails():
    """Beat sweep for thumbnails the broker missed."""
    return sum(
        make_thumbnail(pk) for pk in Photo.objects.filter(thumbnail="").values_list("pk", flat=True)[:200]
    )


@shared_task(name="signalements.refresh_map_grid")
def refresh_map_grid():
    """Rebuild the low-zoom map grid (a few seconds at a million reports)."""
    return grid.rebuild(cell_size)


@shared_task(name="signalements.warm_dashboards")
def warm_dashboards():
    """Recompute the metropolis dashboard's default view, so that no élu waits for it."""
    # Imported here: the dashboard pulls in plotly, which filing and mail tasks do not need.
    from .dashboard.forms import DashboardFilterForm
    from .dashboard.views import dashboard_data

    dashboard_data(None, DashboardFilterForm.from_query({}).values(), refresh=True)
    return True


@shared_task(name="signalements.refresh_dashboard")
def refresh_dashboard(insee, query):
    """Recompute one dashboard snapshot (asked by a view of a stale one); idempotent."""
    from observatoire.territoires.models import Commune

    from .dashboard.forms import DashboardFilterForm
    from .dashboard.views import dashboard_data

    commune = Commune.objects.defer("geom").filter(insee=insee).first() if insee else None
    if insee and commune is None:
        return False
    dashboard_data(commune, DashboardFilterForm.from_query(query).values(), refresh=True)
    return True


# Autodiscovery reads this module only: the links' tasks are registered with it.
from .liaisons import tasks as liaisons_tasks  # noqa: E402,F401
