"""Rows of the environnement models written with the ORM (the importers are tested on their own)."""

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from environnement.enums import FamillePpr, TypeEspace
from environnement.models import (
    ArreteCatnat,
    CouvertureCommune,
    EmissionCommune,
    EspaceNaturel,
    IndiceAtmo,
    PlanPrevention,
)


def catnat(commune, code, peril, published, num="1"):
    return ArreteCatnat.objects.create(
        cod_nat_catnat=code, commune=commune, num_risque_jo=num, lib_risque_jo=peril, dat_pub_jo=published
    )


def atmo_year(commune, year, days, degraded):
    """``days`` days of index from 1 January; ``degraded`` {day number: (index, {pollutant: class})}."""
    rows = []
    for n in range(days):
        index, subs = degraded.get(n, (1, {}))
        fields = {"code_no2": 1, "code_o3": 1, "code_pm10": 1, "code_pm25": 1, "code_so2": 1}
        fields.update({f"code_{k}": v for k, v in subs.items()})
        rows.append(
            IndiceAtmo(
                commune=commune, date_ech=date(year, 1, 1) + timedelta(days=n), code_qual=index, **fields
            )
        )
    IndiceAtmo.objects.bulk_create(rows)


def square(commune, side, x_shift=0.0):
    """A square of ``side`` metres (Lambert-93) around a point inside the commune."""
    cx, cy = commune.geom.point_on_surface.coords
    x0, y0 = cx - side / 2 + x_shift, cy - side / 2
    return MultiPolygon(Polygon.from_bbox((x0, y0, x0 + side, y0 + side)), srid=commune.geom.srid)


@pytest.fixture
def environnement(territoire):
    aix, marseille, gardanne = (territoire.get(insee=i) for i in ("13001", "13055", "13041"))
    # Aix: 3 decrees since 1982 (one with two perils), 2 of them since 2000; Marseille: 1 (drought).
    catnat(aix, "13PREF19900001", "Inondations et/ou Coulées de Boue", date(1990, 5, 2))
    catnat(aix, "13PREF20030002", "Inondations et/ou Coulées de Boue", date(2003, 12, 13))
    catnat(aix, "13PREF20030002", "Mouvements de terrain", date(2003, 12, 13), num="2")
    catnat(aix, "13PREF20230003", "Sécheresse", date(2023, 6, 20))
    catnat(
        marseille,
        "13PREF20220004",
        "Mouvements de terrain différentiels consécutifs à la sécheresse et à la réhydratation des sols",
        date(2022, 7, 1),
    )
    catnat(gardanne, "13PREF19810005", "Tempête", date(1981, 3, 1))  # before the regime: not counted
    # PPR: Aix has an approved flood PPRN and an approved then abrogated one; Marseille a prescribed one.
    ppr = {"famille": FamillePpr.PPRN, "lib_ppr": "PPR"}
    PlanPrevention.objects.create(
        cod_nat_ppr="P1",
        commune=aix,
        cod_risque="11",
        lib_risque="Inondation",
        dat_approbation=date(2010, 1, 1),
        **ppr,
    )
    PlanPrevention.objects.create(
        cod_nat_ppr="P2",
        commune=aix,
        cod_risque="12",
        lib_risque="Mouvement de terrain",
        dat_approbation=date(2005, 1, 1),
        dat_abrogation=date(2015, 1, 1),
        **ppr,
    )
    PlanPrevention.objects.create(
        cod_nat_ppr="P3",
        commune=aix,
        cod_risque="17",
        lib_risque="Feu de forêt",
        dat_approbation=date(2018, 3, 1),
        **ppr,
    )
    PlanPrevention.objects.create(
        cod_nat_ppr="P4",
        commune=marseille,
        cod_risque="11",
        lib_risque="Inondation",
        dat_prescription=date(2024, 2, 1),
        **ppr,
    )
    PlanPrevention.objects.create(
        cod_nat_ppr="T1",
        commune=marseille,
        cod_risque="2",
        lib_risque="Industriel",
        famille=FamillePpr.PPRT,
        dat_approbation=date(2012, 1, 1),
    )
    # ATMO: Aix 2023 complete (10 degraded: 6 by O3, 3 by PM10, 1 tie O3 = PM10); 2024: 200 days only.
    degraded = {n: (3, {"o3": 3}) for n in range(6)}
    degraded |= {n: (4, {"pm10": 4}) for n in range(6, 9)}
    degraded[9] = (3, {"o3": 3, "pm10": 3})
    degraded[10] = (7, {})  # an event: not an index
    degraded[11] = (0, {})  # absent
    atmo_year(aix, 2023, 365, degraded)
    atmo_year(aix, 2024, 200, {0: (3, {"no2": 3})})
    # Emissions: two releases; the latest (v2024) only is read. Aix: NOx 2 sectors in t.
    for version, factor in (("v2023", 10), ("v2024", 1)):
        for secteur, nox in (("Transport routier", 300.0), ("Résidentiel", 100.0)):
            EmissionCommune.objects.create(
                commune=aix,
                annee=2021,
                secteur=secteur,
                polluant="NOx",
                valeur=nox * factor,
                unite="t",
                version=version,
            )
    EmissionCommune.objects.create(
        commune=aix,
        annee=2021,
        secteur="Total",
        polluant="GES",
        valeur=800.0,
        unite="kt CO2e",
        version="v2024",
    )
    # Natural areas: two overlapping Natura squares and a ZNIEFF in Aix.
    # 1 km squares, the second 500 m to the east: 150 ha together; the ZNIEFF 500 m wide: 25 ha.
    big, shifted = square(aix, 1000), square(aix, 1000, x_shift=500)
    EspaceNaturel.objects.create(
        type=TypeEspace.NATURA_SIC, identifiant="FR9301", nom="SIC", millesime=2024, geom=big
    )
    EspaceNaturel.objects.create(
        type=TypeEspace.NATURA_ZPS, identifiant="FR9312", nom="ZPS", millesime=2025, geom=shifted
    )
    EspaceNaturel.objects.create(
        type=TypeEspace.ZNIEFF1, identifiant="930012", nom="ZNIEFF", millesime=2025, geom=square(aix, 500)
    )
    CouvertureCommune.objects.create(commune=aix, type="", millesime=2025, surface_ha=3000.0, part=15.6)
    CouvertureCommune.objects.create(
        commune=aix, type=TypeEspace.NATURA_SIC, millesime=2024, surface_ha=2000, part=10.4
    )
    return {"aix": aix, "marseille": marseille, "gardanne": gardanne, "big": big, "shifted": shifted}
