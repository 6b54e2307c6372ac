"""Demo Cerema file of land consumption (flows 2009–2022 in m²), in the published column layout."""

import random

from observatoire.territoires.models import Commune

FIRST, LAST = 9, 22  # naf09art10 … naf22art23
SHARES = [("act", 0.22), ("hab", 0.61), ("mix", 0.03), ("rou", 0.08), ("fer", 0.005)]  # « inc »: the rest
METRO_2009_HA = 420
OUTSIDE = [
    ("13004", "Arles", 60_000, 760),
    ("83137", "Toulon", 180_000, 43),
    ("84007", "Avignon", 90_000, 65),
]


def header():
    columns = ["idcom", "idcomtxt", "idreg", "idregtxt", "iddep", "iddeptxt", "epci23", "epci23txt"]
    for y in range(FIRST, LAST + 1):
        columns.append(f"naf{y:02d}art{y + 1:02d}")
        columns += [f"art{y:02d}{d}{y + 1:02d}" for d in ("act", "hab", "mix", "rou", "fer", "inc")]
    # Whole-period totals, as in the published file: the importer must not take them for a year.
    columns += [
        f"naf{FIRST:02d}art{LAST + 1:02d}",
        f"artcom{FIRST:02d}{LAST + 1:02d}",
        "pop14",
        "pop20",
        "surfcom2023",
    ]
    return columns


def _level(year):
    """Metropolitan trend: slow decline to 2020, then the first ZAN years a notch lower."""
    return 1 - 0.035 * (year - 2009) if year <= 2020 else 0.5 - 0.03 * (year - 2021)


def _row(rng, insee, nom, population, area_km2, weight, epci):
    growth = rng.uniform(0.7, 1.3)
    cells = [insee, nom, "93", "Provence-Alpes-Côte d'Azur", insee[:2], "", *epci]
    cells[5] = {"13": "Bouches-du-Rhône", "83": "Var", "84": "Vaucluse"}.get(insee[:2], "")
    total = 0
    for y in range(FIRST, LAST + 1):
        flow = METRO_2009_HA * 10_000 * weight * growth * _level(2000 + y) * rng.uniform(0.6, 1.4)
        parts = [round(flow * share) for _, share in SHARES]
        parts.append(max(0, round(flow) - sum(parts)))
        cells += [sum(parts), *parts]
        total += sum(parts)
    cells += [total, round(total / (area_km2 * 1e6) * 100, 3), population, population, round(area_km2 * 1e6)]
    return [str(c) for c in cells]


def write_consommation(path, seed=2026):
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    communes = list(Commune.objects.filter(epci__isnull=False).select_related("epci").order_by("insee"))
    areas = {c.insee: c.geom.area / 1e6 for c in communes}
    weights = {c.insee: areas[c.insee] ** 0.8 * (c.population + 5_000) ** 0.3 for c in communes}
    scale = sum(weights.values())
    lines = [";".join(header())]
    for c in communes:
        epci = (c.epci.siren, c.epci.nom)
        lines.append(
            ";".join(_row(rng, c.insee, c.nom, c.population, areas[c.insee], weights[c.insee] / scale, epci))
        )
    for insee, nom, population, area in OUTSIDE:
        lines.append(";".join(_row(rng, insee, nom, population, area, 0.01, ("", ""))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
