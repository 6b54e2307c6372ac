"""Air quality: days of « dégradé » ATMO index or worse, the pollutant behind them, emissions per inhabitant.

ATMO index (2021 method): classes 1 « bon » to 6 « extrêmement mauvais »; 0 (absent) and 7
(événement) are not an index. A year counts only when at least ``JOURS_MINIMUM`` of its days have
an index (1–6): a half-published year would show half as many degraded days. The pollutant
responsible for a day's index is the one whose sub-index equals the index (the index is the worst
sub-index; ties count for each). The dominant pollutant of a commune-year is the one responsible
for the most degraded days: stored as one numeric indicator per pollutant (days it was
responsible), the dominant one read from them by ``polluant_dominant``.

Emissions: the regional inventory (AtmoSud) is recomputed at each release, past years included:
only the latest release (``version``, compared naturally: « 2024 » after « 2023.2 ») is read.
"""

from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear

from observatoire.indicateurs.models import Valeur
from observatoire.indicateurs.store import epci_of_communes, store
from observatoire.territoires.models import Commune

from ..models import EmissionCommune, IndiceAtmo
from .base import COMMUNE, ensure, natural_key

SOURCE_ATMO = "AtmoSud, indice ATMO journalier par commune (format national Atmo France)"
SOURCE_EMISSIONS = "AtmoSud, inventaire régional des émissions (CIGALE)"
JOURS_MINIMUM = 330  # ≈ 90 % of the year
DEGRADE = 3
INDICE = Q(code_qual__gte=1, code_qual__lte=6)
DEGRADES = Q(code_qual__gte=DEGRADE, code_qual__lte=6)
PAR_POLLUANT = "atmo-jours-degrade-"  # + pollutant key: the days each pollutant was responsible
POLLUANTS = {"no2": "NO2", "o3": "O3", "pm10": "PM10", "pm25": "PM2,5", "so2": "SO2"}
RULE = (
    f"Années retenues : au moins {JOURS_MINIMUM} jours avec un indice (1 à 6) ; les jours sans indice "
    "(0) ou d'événement (7) ne comptent pas."
)


RESPONSABLE = (
    "Polluant responsable : celui dont le sous-indice égale l'indice (ex aequo comptés pour chacun)."
)


def _jours():
    """{(commune id, year): {"indice": n, "degrade": n, "no2": n…}} for the complete years."""
    counts = {
        f"p_{key}": Count("pk", filter=DEGRADES & Q(**{f"code_{key}": F("code_qual")})) for key in POLLUANTS
    }
    rows = (
        IndiceAtmo.objects.annotate(annee=ExtractYear("date_ech"))
        .values("commune_id", "annee")
        .annotate(indice=Count("pk", filter=INDICE), degrade=Count("pk", filter=DEGRADES), **counts)
    )
    return {(r["commune_id"], r["annee"]): r for r in rows if r["indice"] >= JOURS_MINIMUM}


def recompute_atmo():
    jours = _jours()
    count = 0
    specs = [
        ("atmo-jours-degrade", "Jours de qualité de l'air dégradée ou pire", "jours",
         "Nombre de jours de l'année où l'indice ATMO de la commune est « dégradé » (3) ou pire (4 à 6).",
         lambda r: r["degrade"]),
        ("atmo-part-jours-degrade", "Part des jours de qualité de l'air dégradée ou pire", "%",
         "Part des jours avec un indice ATMO où il est « dégradé » ou pire.",
         lambda r: 100 * r["degrade"] / r["indice"]),
    ] + [
        (f"{PAR_POLLUANT}{key}", f"Jours dégradés dus à : {label}", "jours",
         f"Jours « dégradé » ou pire où le sous-indice {label} est le plus élevé (il fait l'indice).",
         lambda r, key=key: r[f"p_{key}"])
        for key, label in POLLUANTS.items()
    ]  # fmt: skip
    for code, libelle, unite, definition, value in specs:
        indicateur = ensure(
            code,
            rubrique="qualite-air",
            niveaux=COMMUNE,
            libelle=libelle,
            unite=unite,
            definition=definition,
            methode=f"{RULE} {RESPONSABLE}",
            source=SOURCE_ATMO,
        )
        count += store(indicateur, {key: value(r) for key, r in jours.items()})
    return count


def dominant(days):
    """(code, libellé, jours) of the pollutant behind the most degraded days, or None: ``days`` is
    {pollutant key: days} (a missing key or None counts 0; a tie goes to the first of POLLUANTS)."""
    best = max(POLLUANTS, key=lambda k: days.get(k) or 0)
    n = days.get(best) or 0
    return (best, POLLUANTS[best], int(n)) if n else None


def polluant_dominant(commune_id, annee):
    """(code, libellé, jours) of the pollutant behind the most degraded days, or None."""
    days = Valeur.objects.filter(
        commune_id=commune_id, millesime=annee, indicateur__code__startswith=PAR_POLLUANT
    ).values_list("indicateur__code", "valeur")
    return dominant({code.removeprefix(PAR_POLLUANT): valeur for code, valeur in days})


# Emissions ------------------------------------------------------------------------------------

EMISSIONS = {
    "nox": ("emissions-nox-habitant", "Émissions d'oxydes d'azote (NOx) par habitant", "kg/hab", 1.0),
    "pm25": ("emissions-pm25-habitant", "Émissions de particules fines (PM2,5) par habitant", "kg/hab", 1.0),
    "ges": ("emissions-ges-habitant", "Émissions de gaz à effet de serre par habitant", "t CO2e/hab", 0.001),
}
ALIASES = {"nox": "nox", "pm25": "pm25", "pm2,5": "pm25", "pm2.5": "pm25", "ges": "ges", "co2e": "ges",
           "prg": "ges", "prg100": "ges", "gesco2e": "ges", "co2eq": "ges", "ges(co2e)": "ges"}  # fmt: skip


def polluant_key(name):
    return ALIASES.get("".join((name or "").lower().split()).replace("_", ""))


def kilograms(value, unite):
    """The value in kg (or kg CO2e) from the unit the inventory writes (kg, t, kt, teqCO2…)."""
    u = (unite or "").strip().lower()
    factor = 1e6 if u.startswith("kt") else 1e3 if u.startswith("t") else 1e-3 if u.startswith("g") else 1.0
    return value * factor


def latest_version():
    versions = EmissionCommune.objects.values_list("version", flat=True).distinct()
    return max(versions, key=natural_key, default=None)


def _emissions(version):
    """{polluant key: {(commune id, year): kg}}: the sectors summed, or the file's own total row."""
    totals, sectors = defaultdict(dict), defaultdict(lambda: defaultdict(float))
    rows = EmissionCommune.objects.filter(version=version, valeur__isnull=False).values_list(
        "commune_id", "annee", "secteur", "polluant", "valeur", "unite"
    )
    for cid, annee, secteur, polluant, valeur, unite in rows:
        key = polluant_key(polluant)
        if key is None:
            continue
        if secteur.strip().lower().startswith("total"):
            totals[key][(cid, annee)] = kilograms(valeur, unite)
        else:
            sectors[key][(cid, annee)] += kilograms(valeur, unite)
    return {key: {**sectors[key], **totals[key]} for key in EMISSIONS}


def recompute_emissions():
    version = latest_version()
    per_polluant = _emissions(version) if version else {}
    population = dict(Commune.objects.filter(epci__isnull=False).values_list("id", "population"))
    epci_of = epci_of_communes()
    count = 0
    for key, (code, libelle, unite, scale) in EMISSIONS.items():
        indicateur = ensure(
            code,
            rubrique="qualite-air",
            libelle=libelle,
            unite=unite,
            definition=f"{libelle.split(' par ')[0]} de tous les secteurs de la commune dans l'année, "
            "rapportées à sa population.",
            methode=f"Dernière version de l'inventaire seulement ({version or 'aucune'}) : chaque version "
            "recalcule les années passées. Somme des secteurs (ou ligne « total » du fichier) divisée "
            "par la population municipale la plus récente du référentiel ; pour l'EPCI, sommes des communes, "
            "seulement quand toutes ont la leur.",
            source=SOURCE_EMISSIONS,
        )
        kg = per_polluant.get(key, {})
        communes = {
            (cid, y): v * scale / population[cid] for (cid, y), v in kg.items() if population.get(cid)
        }
        sums, pops = defaultdict(float), defaultdict(int)
        for (cid, y), v in kg.items():
            if cid in epci_of and population.get(cid):
                sums[(epci_of[cid], y)] += v * scale
                pops[(epci_of[cid], y)] += population[cid]
        members = defaultdict(int)
        for eid in epci_of.values():
            members[eid] += 1
        counted = defaultdict(int)
        for cid, y in kg:
            if cid in epci_of:
                counted[(epci_of[cid], y)] += 1
        # The EPCI only when every commune has its figure: a partial sum would look like a fall.
        epcis = {k: s / pops[k] for k, s in sums.items() if counted[k] == members[k[0]]}
        count += store(indicateur, communes, epcis)
    return count


def recompute():
    return recompute_atmo() + recompute_emissions()
