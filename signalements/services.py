"""Filing and supporting reports: the operations that cross several models."""

from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from observatoire.core.publish import publish_quietly
from observatoire.territoires.geometry import in_work_area, to_storage
from observatoire.territoires.models import Commune

from . import notifications
from .alertes import services as alertes
from .availability import audience_of, commune_with_settings, offer_for
from .enums import Audience, PhotoKind, Status
from .errors import FilingError
from .models import CategorieCommuneChange, Historique, Photo, Signalement, Soutien
from .questions import answers
from .tasks import make_thumbnail


def point_from(lon, lat):
    """A WGS84 longitude/latitude as a point in the storage SRID."""
    return to_storage(Point(float(lon), float(lat), srid=4326))


def commune_at(lon, lat, categorie=None):
    """The commune at a point; with ``categorie``, its settings of that category come in the same query."""
    if categorie is not None:
        commune = commune_with_settings(lon, lat, categorie)
    else:
        # The boundary itself is not needed here, and Marseille's weighs tens of kilobytes.
        commune = Commune.objects.containing(lon, lat).defer("geom").first()
    if commune is None:
        raise FilingError(
            "Ce point est en dehors du territoire de la métropole : placez le repère sur une commune.",
            field="location",
        )
    return commune


def actif_lonlat(actif, categorie):
    """Where a report on this asset goes: the asset's own position (WGS84)."""
    if actif.categorie_id != categorie.pk or not actif.is_active:
        raise FilingError("Cet équipement n'appartient pas à la catégorie choisie.", field="actif")
    point = actif.geom.transform(4326, clone=True)
    return point.x, point.y


def similar_open_reports(categorie, lon, lat, actif=None, limit=10):
    """Recent open reports of the category nearby; on an asset, those on the same asset first,
    whatever their distance (a street light seen from two ends of a street is one report)."""
    if not in_work_area(lon, lat):
        return []
    since = timezone.now() - timedelta(days=settings.SIGNALEMENT_DUPLICATE_DAYS)
    recent = (
        Signalement.objects.open()
        .filter(categorie=categorie, created_at__gte=since)
        .select_related("categorie", "commune")
    )
    nearby = recent.near(point_from(lon, lat), settings.SIGNALEMENT_DUPLICATE_METRES)
    if actif is None:
        return list(nearby[:limit])
    on_asset = list(recent.filter(actif=actif).order_by("-created_at")[:limit])
    return on_asset + list(nearby.exclude(actif=actif)[: limit - len(on_asset)])


def clean_description(text):
    text = (text or "").strip()
    if not text:
        raise FilingError("Décrivez le problème en quelques mots.", field="description")
    if strip_tags(text) != text:
        raise FilingError("La description ne doit pas contenir de balises HTML.", field="description")
    return text


def file_signalement(
    *,
    user,
    lon,
    lat,
    categorie,
    description,
    email="",
    photos=(),
    ip=None,
    reponses=None,
    actif=None,
    adresse="",
):
    """Create a report if the category is open here for this person; photos are already cleaned.

    ``reponses`` are the raw answers to the category's questions (checked by ``questions.answers``);
    ``actif`` is an asset of this category the report is placed on (its position wins);
    ``adresse`` is the address a geocoder found for the point (never the reporter's own words).
    """
    if actif is not None:
        lon, lat = actif_lonlat(actif, categorie)
    commune = commune_at(lon, lat, categorie)
    audience = audience_of(user, commune)
    offer = offer_for(commune, audience, categorie)
    if offer is None:
        raise FilingError("Choisissez une catégorie de la liste.", field="categorie")
    if not offer.is_open:
        message = (
            f"« {categorie.nom} » n'est pas ouverte aux signalements à {commune.nom}. {offer.explication}"
        )
        if offer.canal_alternatif:
            message += f" {offer.canal_alternatif}"
        raise FilingError(message.strip(), field="categorie")
    description = clean_description(description)
    reponses = answers.clean(categorie, reponses or {})
    if len(photos) > settings.SIGNALEMENT_MAX_PHOTOS:
        raise FilingError(f"{settings.SIGNALEMENT_MAX_PHOTOS} photos au plus.", field="photos")
    point = point_from(lon, lat)
    authenticated = user is not None and user.is_authenticated
    with transaction.atomic():
        report = Signalement.objects.create(
            commune=commune,
            categorie=categorie,
            geom=point,
            adresse=adresse[:300],
            description=description,
            filed_by_agent=audience == Audience.AGENT,
            reporter=user if authenticated else None,
            reporter_email=(email or (user.email if authenticated else "")).strip().lower(),
            reporter_ip=ip,
            reponses=reponses,
            actif=actif,
            actif_identifiant=actif.identifiant if actif is not None else "",
        )
        Historique.objects.create(
            signalement=report,
            to_status=Status.NOUVEAU,
            by=user if authenticated else None,
            note="Signalement déposé.",
        )
        for photo in photos:
            add_photo(report, photo)
        notifications.queue(
            report,
            report.reporter_email,
            "signalements/email/confirmation.txt",
            {"url": settings.SITE_URL + report.get_tracking_url()},
            f"Signalement {report.reference} bien reçu",
        )
        alertes.schedule(report, alertes.NOUVEAU)
    return report


def support(signalement, user=None):
    """Count one more person affected; a signed-in user counts once."""
    with transaction.atomic():
        if user is not None and user.is_authenticated:
            _, created = Soutien.objects.get_or_create(signalement=signalement, user=user)
            if not created:
                return False
        else:
            Soutien.objects.create(signalement=signalement)
        Signalement.objects.filter(pk=signalement.pk).update(soutiens=F("soutiens") + 1)
    return True


def log_activation_change(activation, user, before):
    """Append who changed a commune's category settings, with the values before and after."""
    after = activation.snapshot()
    # A category saved for the first time with the default settings changed nothing.
    if (before or activation.default_snapshot()) != after:
        CategorieCommuneChange.objects.create(
            ouverture=activation, changed_by=user, before=before, after=after
        )


def add_photo(report, photo, kind=PhotoKind.SIGNALEMENT):
    """Store a cleaned photo; its thumbnail is made by Celery once the transaction commits."""
    row = Photo.objects.create(
        signalement=report, image=photo.content, width=photo.width, height=photo.height, kind=kind
    )
    transaction.on_commit(lambda: publish_quietly(make_thumbnail, row.pk))
    return row
