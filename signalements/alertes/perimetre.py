"""The part of the territory an alert or a feed is about: a commune, an arrondissement, or a circle.

One description for the three uses (the subscription form, the Atom feeds, the e-mails), so that
a feed shows exactly what the alert with the same choices sends.
"""

from dataclasses import dataclass

from django.contrib.gis.measure import D
from django.db.models import Q

from .models import ZoneAlerte

RAYON_MIN_M = 100
RAYON_MAX_M = 2000


@dataclass(frozen=True)
class Perimetre:
    zone_type: str = ""  # empty: the whole metropolis (feeds only)
    commune: object = None
    arrondissement: object = None
    centre: object = None  # a Point in the storage SRID (metres)
    rayon_m: int | None = None
    lieu: str = ""

    @classmethod
    def of(cls, abonnement):
        return cls(
            zone_type=abonnement.zone_type,
            commune=abonnement.commune,
            arrondissement=abonnement.arrondissement,
            centre=abonnement.centre,
            rayon_m=abonnement.rayon_m,
            lieu=abonnement.lieu,
        )

    def reports_q(self):
        """A filter on Signalement for the reports inside (PostGIS: zone containment, ST_DWithin)."""
        if self.zone_type == ZoneAlerte.COMMUNE:
            return Q(commune=self.commune)
        if self.zone_type == ZoneAlerte.ARRONDISSEMENT:
            return Q(geom__within=self.arrondissement.geom)
        if self.zone_type == ZoneAlerte.RAYON:
            return Q(geom__dwithin=(self.centre, D(m=self.rayon_m)))
        return Q()

    @property
    def label(self):
        """The zone in words, as in « à Aix-en-Provence »."""
        if self.zone_type == ZoneAlerte.COMMUNE:
            return f"à {self.commune.nom}"
        if self.zone_type == ZoneAlerte.ARRONDISSEMENT:
            return f"à {self.arrondissement.nom}"
        if self.zone_type == ZoneAlerte.RAYON:
            return f"à moins de {distance(self.rayon_m)} de {self.lieu or 'ce lieu'}"
        return "dans la métropole"


def distance(metres):
    """« 500 m », « 1,5 km »."""
    return f"{metres / 1000:g} km".replace(".", ",") if metres >= 1000 else f"{metres} m"
