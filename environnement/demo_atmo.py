"""Demo: the daily ATMO index 2023–2024 and an emissions inventory, written as AtmoSud publishes them.

- 2023: the national CSV (``,``, ``date_ech`` a date, Atmo Data's columns), with one EPCI row a day;
- 2024: AtmoSud's export (``;``, ``date_ech`` ``2024/01/15 00:00:00+00``, column ``aasqa``);
  Marseille by arrondissement in both, as AtmoSud publishes it;
- emissions 2018–2022: CIGALE's long extraction « détail par commune » (kg, ``kg eq.CO2``), release
  ``v2024`` in the file name.

Plausible, not measured: mostly « moyen », summer ozone episodes (« dégradé », sometimes « mauvais »)
shared by the whole metropolis, more degraded days around Marseille, Fos and the étang de Berre, NO2
and particles leading in winter; emissions scaled by population, heavy industry around Fos and Berre.
"""

import random
from datetime import date, timedelta

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Commune, Zone

from .enums import QualiteAir

SEED = 2026
COLOURS = {0: "#DDDDDD", 1: "#50F0E6", 2: "#50CCAA", 3: "#F0E641", 4: "#FF5050", 5: "#960032",
           6: "#872181", 7: "#888888"}  # fmt: skip
# Fos, Berre and the industrial shore of the étang: the most degraded days (O3, SO2, particles).
INDUSTRIAL = {"13039", "13056", "13077", "13014", "13081", "13117", "13054", "13026", "13047", "13092",
              "13041"}  # fmt: skip
NATIONAL_HEADER = (
    "date_ech,code_qual,lib_qual,coul_qual,date_dif,source,type_zone,code_zone,lib_zone,"
    "code_no2,code_so2,code_o3,code_pm10,code_pm25,x_wgs84,y_wgs84,x_reg,y_reg,epsg_reg"
)
ATMOSUD_COLUMNS = ["aasqa", *NATIONAL_HEADER.split(",")]
SECTORS = [  # (PCAET sector, NOx, PM10, PM2.5, GES) in kg (kg eq.CO2) per inhabitant and year
    ("Transport routier", 5.5, 0.45, 0.30, 1900.0),
    ("Résidentiel", 0.45, 0.55, 0.52, 650.0),
    ("Tertiaire", 0.35, 0.02, 0.02, 420.0),
    ("Industrie (hors branche énergie)", 0.8, 0.15, 0.08, 500.0),
    ("Branche énergie", 0.2, 0.01, 0.01, 150.0),
    ("Agriculture", 0.25, 0.12, 0.04, 60.0),
    ("Autres transports", 0.9, 0.05, 0.04, 120.0),
    ("Déchets", 0.02, 0.01, 0.01, 90.0),
]
POLLUTANTS = [("nox", "kg"), ("pm10", "kg"), ("pm2.5", "kg"), ("prg100.3ges", "kg eq.CO2")]


def _zones():
    """(code, name, x, y, proneness) of the zones AtmoSud publishes (Marseille by arrondissement)."""
    zones = []
    for commune in Commune.objects.filter(epci__isnull=False).exclude(insee="13055").order_by("insee"):
        point = commune.geom.point_on_surface
        prone = (
            1.0 if commune.insee in INDUSTRIAL else 0.35 + 0.25 * ((int(commune.insee[2:]) * 37) % 10) / 10
        )
        zones.append((commune.insee, commune.nom, point.x, point.y, prone))
    arrondissements = Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__insee="13055").order_by(
        "code"
    )
    for zone in arrondissements.order_by("code"):
        point = zone.geom.point_on_surface if zone.geom else None
        zones.append((zone.code, zone.nom, point.x if point else 892000, point.y if point else 6247000, 0.8))
    return zones


def _day_levels(rng, day):
    """The metropolis' weather of the day: ozone episode level (0–2) and a winter particles/NO2 level."""
    summer = day.month in (6, 7, 8) or (day.month in (5, 9) and rng.random() < 0.4)
    ozone = 0
    if summer:
        draw = rng.random()
        ozone = 2 if draw < 0.07 else 1 if draw < 0.30 else 0
    winter = day.month in (11, 12, 1, 2)
    stagnation = 1 if winter and rng.random() < 0.18 else 0
    return summer, ozone, winter, stagnation


def _index(rng, prone, summer, ozone, winter, stagnation):
    """Sub-indices (NO2, SO2, O3, PM10, PM2.5) of one commune and day."""
    o3 = 2 if summer or rng.random() < 0.5 else 1
    if ozone and rng.random() < 0.45 + 0.5 * prone:
        o3 = 2 + ozone if rng.random() < 0.5 + 0.4 * prone else 2 + ozone - 1
    no2 = 2 if winter and rng.random() < prone else 1
    no2 += 1 if stagnation and rng.random() < prone * 0.6 else 0
    pm10 = 2 if (winter and rng.random() < 0.3 + 0.4 * prone) else 1
    pm25 = max(pm10, 2 if winter and rng.random() < 0.5 else 1)
    pm25 += 1 if stagnation and rng.random() < prone * 0.5 else 0
    so2 = (
        1
        + (1 if prone >= 1.0 and rng.random() < 0.06 else 0)
        + (1 if prone >= 1.0 and rng.random() < 0.01 else 0)
    )
    return no2, so2, o3, pm10, pm25


def _rows(year, zones, rng):
    day = date(year, 1, 1)
    while day.year == year:
        weather = _day_levels(rng, day)
        for code, name, x, y, prone in zones:
            subs = _index(rng, prone, *weather)
            yield day, code, name, x, y, max(subs), subs
        day += timedelta(days=1)


def _clean(name):
    return name.replace(",", " ").replace(";", " ")


def write_national(path, year, zones, rng):
    lines = [NATIONAL_HEADER]
    for day, code, name, x, y, qual, subs in _rows(year, zones, rng):
        label = QualiteAir(qual).label
        sub_cells = ",".join(str(s) for s in subs)
        lines.append(
            f"{day.isoformat()},{qual},{label},{COLOURS[qual]},{day - timedelta(days=1)},AtmoSud,commune,"
            f"{code},{_clean(name)},{sub_cells},,,{x:.0f},{y:.0f},2154"
        )
        if code == zones[0][0]:  # the metropolis as an EPCI zone, once a day (left aside by the import)
            lines.append(
                f"{day.isoformat()},2,Moyen,{COLOURS[2]},{(day - timedelta(days=1)).isoformat()},AtmoSud,"
                "EPCI,200054807,Métropole d'Aix-Marseille-Provence,2,1,2,1,2,,,,,2154"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_atmosud(path, year, zones, rng):
    lines = [";".join(ATMOSUD_COLUMNS)]
    for day, code, name, x, y, qual, subs in _rows(year, zones, rng):
        stamp = f"{day:%Y/%m/%d} 00:00:00+00"
        sent = f"{day - timedelta(days=1):%Y/%m/%d} 12:00:00+00"
        sub_cells = ";".join(str(s) for s in subs)
        lines.append(
            f"93;{stamp};{qual};{QualiteAir(qual).label};{COLOURS[qual]};{sent};AtmoSud;commune;{code};"
            f"{_clean(name)};{sub_cells};;;{x:.0f};{y:.0f};2154"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_emissions(path, rng):
    lines = ["Année;Entité administrative;Id Entité;Activité;Energie;Variable;Valeur;Unite"]
    communes = (
        Commune.objects.filter(epci__isnull=False).order_by("insee").values_list("insee", "nom", "population")
    )
    for annee in range(2018, 2023):
        trend = 1 - 0.03 * (annee - 2018) - (0.08 if annee == 2020 else 0)  # 2020: the lockdowns
        for insee, nom, population in communes:
            heavy = insee in INDUSTRIAL
            for secteur, *per_head in SECTORS:
                weight = population or 1000
                if secteur in ("Industrie (hors branche énergie)", "Branche énergie") and heavy:
                    weight *= 12
                for (variable, unit), factor in zip(POLLUTANTS, per_head, strict=True):
                    value = weight * factor * trend * rng.uniform(0.8, 1.2)
                    lines.append(
                        f"{annee};{nom} ({insee[:2]});{int(insee)};{secteur};Toutes énergies;{variable};"
                        f"{value:.1f};{unit}"
                    )
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_demo_files(folder):
    """[(importer kind, path)]: the 2023 national index, AtmoSud's 2024 index, CIGALE's emissions."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 - demo values, not secrets
    zones = _zones()
    return [
        ("indice_atmo", write_national(folder / "indice_atmo_2023.csv", 2023, zones, rng)),
        ("indice_atmo", write_atmosud(folder / "ind_sudpaca_2024.csv", 2024, zones, rng)),
        ("emissions_air", write_emissions(folder / "cigale_inventaire_v2024_communes.csv", rng)),
    ]
