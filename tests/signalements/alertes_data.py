"""Subscriptions and reports for the area-alert tests."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.geometry import to_storage
from observatoire.territoires.models import Zone
from signalements import services
from signalements.alertes.models import Abonnement, Frequence, ZoneAlerte

from .conftest import VIEUX_PORT

SECRET = "Mon voisin Jean Dupont au 12 rue X a encore jeté ses sacs."


def abonnement(email, *, confirmed=True, **fields):
    now = timezone.now()
    fields.setdefault("zone_type", ZoneAlerte.COMMUNE)
    fields.setdefault("frequence", Frequence.IMMEDIATE)
    return Abonnement.objects.create(
        email=email,
        confirmed_at=now - timedelta(minutes=5) if confirmed else None,
        sent_until=now - timedelta(minutes=5),
        created_at=now - timedelta(minutes=10),
        **fields,
    )


def autour(lon, lat, rayon_m, email="rayon@exemple.fr", **fields):
    return abonnement(
        email,
        zone_type=ZoneAlerte.RAYON,
        centre=to_storage(Point(lon, lat, srid=4326)),
        rayon_m=rayon_m,
        lieu="Vieux-Port",
        **fields,
    )


def arrondissement(code):
    return Zone.objects.get(type=ZoneType.ARRONDISSEMENT, code=code)


def file_report(categories, description=SECRET, email="auteur.prive@exemple.fr", **where):
    return services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description=description,
        email=email,
        **(where or VIEUX_PORT),
    )
