"""Demo housing stock: INSEE « base-cc-logement » (2015 and 2021), RPLS au 1er janvier 2024 (.xlsx)
and the PLH objectives CSV, written in their exact formats and loaded through the importers.

Figures are plausible, not real: résidences principales from the real populations and a household
size, social housing shares close to the known ones for the large communes (Marseille ≈ 21 %,
Vitrolles ≈ 40 %…), few in the villages.
"""

import random
from dataclasses import dataclass

from openpyxl import Workbook

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Commune, Zone

from . import insee_logement, plh, rpls
from .models import LogementRecensement, ObjectifPlh, ParcSocial

SEED = 2026
MARSEILLE = "13055"
OUTSIDE = [("83137", "Toulon", 180_000), ("84007", "Avignon", 91_000)]  # national files cover them
SOCIAL_SHARE = {
    "13001": 0.22, "13056": 0.31, "13005": 0.20, "13103": 0.21, "13047": 0.30, "13028": 0.22,
    "13117": 0.40, "13054": 0.22, "13063": 0.36, "13077": 0.42, "13039": 0.30, "13014": 0.26,
    "13041": 0.20, "13106": 0.24, "13078": 0.28, "13002": 0.10, "13071": 0.12, "13026": 0.15,
    "13015": 0.08, "13022": 0.07, "84089": 0.14,
    # Marseille's arrondissements: the northern ones hold most of the social stock.
    "13201": 0.09, "13202": 0.22, "13203": 0.27, "13204": 0.11, "13205": 0.09, "13206": 0.05,
    "13207": 0.07, "13208": 0.09, "13209": 0.20, "13210": 0.20, "13211": 0.25, "13212": 0.12,
    "13213": 0.30, "13214": 0.41, "13215": 0.41, "13216": 0.32,
}  # fmt: skip
SECONDARY_SHARE = {"13022": 0.18, "13028": 0.12, "13104": 0.20, "13021": 0.22, "13033": 0.10, "13023": 0.12}
QPV_SHARE = {"13001": 0.35, "13056": 0.45, "13054": 0.30, "13028": 0.30, "13117": 0.40, "13063": 0.45,
             "13103": 0.35, "13077": 0.50, "13047": 0.25, "13005": 0.25, "13014": 0.40, "13041": 0.20,
             "13078": 0.40, "13203": 0.60, "13213": 0.55, "13214": 0.75, "13215": 0.80, "13216": 0.60,
             "13211": 0.40, "13209": 0.30, "13202": 0.35}  # fmt: skip


@dataclass
class Place:
    code: str
    nom: str
    population: int


def _places(with_arrondissements):
    communes = Commune.objects.filter(epci__isnull=False).order_by("insee")
    places = [Place(c.insee, c.nom, c.population) for c in communes]
    if with_arrondissements:
        arrondissements = Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__insee=MARSEILLE)
        places = [p for p in places if p.code != MARSEILLE] + [
            Place(z.code, z.nom, z.population or 0) for z in arrondissements.order_by("code")
        ]
    return places + [Place(*row) for row in OUTSIDE]


def _household_size(code):
    if code == MARSEILLE or code.startswith("132"):
        return 2.05
    return 1.95 if code == "13001" else 2.3


def _profile(rng, place):
    """Shares drawn once per commune, so both censuses tell the same story."""
    small = place.population < 2000
    secondary = SECONDARY_SHARE.get(place.code, rng.uniform(0.08, 0.15) if small else rng.uniform(0.02, 0.06))
    if place.code == MARSEILLE:
        return {"secondary": 0.03, "vacancy": 0.095, "houses": 0.12, "owners": 0.44}
    return {
        "secondary": secondary,
        "vacancy": rng.uniform(0.05, 0.09),
        "houses": 0.75 if place.population < 10_000 else 0.4,
        "owners": rng.uniform(0.55, 0.72),
    }


def _census(place, profile, growth, vacancy_trend):
    """One census' figures (weighted estimates, hence decimals above 10 000 inhabitants)."""
    rp = place.population * growth / _household_size(place.code)
    secondary, vacancy = profile["secondary"], profile["vacancy"] * vacancy_trend
    log = rp / (1 - secondary - vacancy)
    houses, owners = profile["houses"], profile["owners"]
    figures = {
        "LOG": log, "RP": rp, "RSECOCC": log * secondary, "LOGVAC": log * vacancy,
        "MAISON": log * houses, "APPART": log * (1 - houses) * 0.98, "RP_PROP": rp * owners,
        "RP_LOC": rp * (1 - owners) * 0.96, "RP_LOCHLMV": rp * SOCIAL_SHARE.get(place.code, 0.05) * 0.9,
    }  # fmt: skip
    digits = 5 if place.population >= 10_000 else 0
    return {name: round(value, digits) if digits else round(value) for name, value in figures.items()}


def write_insee_file(path, seed=SEED):
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    censuses = {21: (1.0, 1.0), 15: (0.96, 0.9)}  # yy: (households, vacancy) relative to 2021
    header = ["CODGEO"] + [f"P{yy}_{name}" for yy in censuses for name in insee_logement.VARIABLES]
    lines = [";".join(header)]
    for place in _places(with_arrondissements=False):
        profile = _profile(rng, place)
        cells = [place.code]
        for growth, vacancy_trend in censuses.values():
            cells += [str(v) for v in _census(place, profile, growth, vacancy_trend).values()]
        lines.append(";".join(cells))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


RPLS_HEADER = ["DEPCOM_ARM", "LIBCOM", "DEP", "REG", "nb_ls", "nb_loues", "nb_vacants", "nb_vides",
               "nb_asso", "nb_occup_temp", "nb_ls_en_qpv", "densite", "tx_vac", "tx_vac3", "tx_mob",
               "loymoy"]  # fmt: skip


def _rpls_row(rng, place):
    rp = place.population * 1.01 / _household_size(place.code)
    share = SOCIAL_SHARE.get(
        place.code, rng.uniform(0.02, 0.12) if place.population >= 3500 else rng.uniform(0, 0.04)
    )
    nb_ls = round(rp * share)
    dep = place.code[:2]
    cells = [place.code, place.nom, dep, "93" if dep in ("13", "83", "84") else "", nb_ls]
    if nb_ls == 0:
        return [*cells, 0, 0, 0, 0, 0, 0, 0.0, None, None, None, None]
    tx_vac = round(rng.uniform(1.2, 4.0), 1)
    nb_vides = round(nb_ls * rng.uniform(0.005, 0.02))
    offered = nb_ls - nb_vides
    nb_vacants = round(offered * tx_vac / 100)
    in_qpv = round(nb_ls * QPV_SHARE.get(place.code, 0))
    rent = round(rng.uniform(5.6, 7.2), 2) if nb_ls >= 11 else "s"  # statistical secrecy
    mobility = round(rng.uniform(6, 10.5), 1)
    return [*cells, offered - nb_vacants, nb_vacants, nb_vides, round(nb_ls * 0.01), round(nb_ls * 0.004),
            in_qpv, round(nb_ls / rp * 100, 1), tx_vac, round(tx_vac * 0.45, 1), mobility, rent]  # fmt: skip


def write_rpls_file(path, millesime=2024, seed=SEED):
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    workbook = Workbook()
    readme = workbook.active
    readme.title = "Lisez-moi"
    readme.append(
        ["Répertoire des logements locatifs des bailleurs sociaux (RPLS) — données de démonstration"]
    )
    sheet = workbook.create_sheet(rpls.SHEET)
    sheet.append(["Le parc locatif social des communes"])
    sheet.append([f"Parc locatif social au 1er janvier {millesime}"])
    sheet.append(["Résultats par commune (par arrondissement municipal pour Paris, Lyon et Marseille)"])
    sheet.append([f"Source : SDES, RPLS au 1er janvier {millesime}"])
    sheet.append([])
    sheet.append(RPLS_HEADER)
    for place in _places(with_arrondissements=True):
        sheet.append(_rpls_row(rng, place))
    sheet.append([])
    sheet.append(["Champ : France entière. Secret statistique : s."])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


PLH_PERIODS = [(2017, 2022, 0.0055), (2023, 2028, 0.0060)]


def write_plh_file(path):
    lines = [";".join(plh.COLUMNS)]
    for place in _places(with_arrondissements=False)[: -len(OUTSIDE)]:
        for start, end, rate in PLH_PERIODS:
            objective = max(1, round(place.population * rate))
            lines.append(f"{place.code};{place.nom};{start};{end};{objective}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(folder):
    """Import each demo file whose table is empty; returns the number of rows stored."""
    stored = 0
    if not LogementRecensement.objects.exists():
        path = write_insee_file(folder / "base-cc-logement-2021.csv")
        with path.open(encoding="utf-8", newline="") as stream:
            stored += insee_logement.import_file(stream).inserted
    if not ParcSocial.objects.exists():
        stored += rpls.import_file(write_rpls_file(folder / "rpls_communes_2024.xlsx")).inserted
    if not ObjectifPlh.objects.exists():
        path = write_plh_file(folder / "plh_objectifs.csv")
        with path.open(encoding="utf-8", newline="") as stream:
            stored += plh.import_file(stream).inserted
    return stored
