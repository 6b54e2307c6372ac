"""Rows with years for the Sitadel dataset, so its published period comes from its data (2019–2023)."""

from habitat.models import ConstructionAnnuelle
from observatoire.territoires.models import Commune

YEARS = (("13001", 2019), ("13055", 2023))


def add_sitadel_rows():
    for insee, annee in YEARS:
        ConstructionAnnuelle.objects.create(
            commune=Commune.objects.get(insee=insee),
            annee=annee,
            type_logement="individuel_pur",
            logements_autorises=10,
            logements_commences=8,
            surface_autorisee=1200,
            surface_commencee=950,
        )
