"""Atom feeds of new or resolved reports for a commune, an arrondissement or a circle (or everywhere).

The same public content as the alert e-mails (``mails.public_item``): no reporter, a description
only once validated, positions rounded.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from ..enums import RejectionReason, Status
from ..models import Signalement
from . import mails
from .forms import FEED_KINDS
from .matching import NOUVEAU, RESOLU

ENTRIES = 50
# The entries of the last days only: the date indexes stay useful at a million reports.
DAYS = 90


def feed_url(**params):
    """The feed's address for these parameters (``commune=``, ``type=``…), empty ones left out."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse("signalements-alertes:flux") + (f"?{query}" if query else "")


def feed_reports(perimetre, kind, categorie=None):
    since = timezone.now() - timedelta(days=DAYS)
    reports = Signalement.objects.exclude(rejection_reason=RejectionReason.SPAM).filter(perimetre.reports_q())
    if categorie is not None:
        reports = reports.filter(categorie=categorie)
    if kind == "resolus":
        reports = reports.filter(resolved_at__gte=since, status__in=(Status.RESOLU, Status.CLOS))
        reports = reports.order_by("-resolved_at")
    else:
        reports = reports.filter(created_at__gte=since).order_by("-created_at")
    event = RESOLU if kind == "resolus" else NOUVEAU
    rows = reports.select_related("categorie", "commune").with_lonlat()[:ENTRIES]
    return [mails.public_item(report, event) for report in rows]


class SignalementsFeed(Feed):
    feed_type = Atom1Feed
    author_name = settings.METROPOLE_NAME
    language = "fr"

    def get_object(self, request, selection):
        return selection

    def title(self, selection):
        title = f"{FEED_KINDS[selection['kind']]} {selection['perimetre'].label}"
        if selection["categorie"] is not None:
            title += f" · {selection['categorie'].nom}"
        return title

    def subtitle(self, selection):
        return (
            f"Signalements dans l'espace public, {settings.METROPOLE_NAME} : les {ENTRIES} derniers des "
            f"{DAYS} derniers jours. Sans donnée personnelle ; la description n'apparaît qu'après relecture."
        )

    def link(self, selection):
        return reverse("signalements-carte:carte")

    def feed_url(self, selection):
        return selection["url"]

    def items(self, selection):
        return feed_reports(selection["perimetre"], selection["kind"], selection["categorie"])

    def item_title(self, item):
        verb = "signalé" if item["kind"] == NOUVEAU else "résolu"
        return f"{item['categorie']} à {item['commune']} ({item['reference']}, {verb})"

    def item_description(self, item):
        text = f"{item['categorie']} · {item['commune']} · statut : {item['statut']}. "
        text += f"Position approximative : {item['lat']:.4f}, {item['lon']:.4f}."
        if item["description"]:
            text += f" « {item['description']} »"
        return text

    def item_link(self, item):
        return f"{reverse('signalements-carte:carte')}#signalement-{item['pk']}-{item['kind']}"

    def item_pubdate(self, item):
        return item["date"]

    def item_updateddate(self, item):
        return item["date"]

    def item_categories(self, item):
        return [item["categorie"]]
