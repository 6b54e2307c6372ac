"""What the tracking page shows of the opinion (imported by ``signalements.views``)."""

from . import services
from .forms import AvisForm
from .models import Avis


def tracking_context(report, form=None):
    """What the tracking page shows of the opinion: the one given, or the form to give it."""
    avis = Avis.objects.filter(signalement_id=report.pk).first()
    offered = avis is None and report.status in services.RATED_STATUSES and report.resolved_at is not None
    return {"avis": avis, "avis_form": (form or AvisForm()) if offered else None}
