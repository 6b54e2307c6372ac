"""Demo REI files in each vintage's own layout, for the real communes, loaded through ``import_rei``.

2019–2022 as the DGFiP's workbooks with long labels, 2023–2024 as its CSVs (``;``, Latin-1, decimal
comma) with codes; the year in the file's name as the DGFiP names them. Values are plausible for the
metropolis, not the published ones: TFB voted by the commune 20–30 % until 2020 then with the former
département rate (15.05 %) from 2021; the metropolis' TFB rate from 2023; TFNB 30–90 %; TEOM 8–18 %;
CFE levied by the metropolis alone (single business rate, the communes' CFE columns at zero); TH on
all dwellings until 2022, on second homes from 2023; bases of about 1 000–2 500 € per inhabitant
revalued each year, yields = base × rate. A commune of under 600 inhabitants has its TFNB base and
yield left empty (statistical secrecy), and Arles (in the département, not the metropolis) is there
as in the national file.
"""

import csv
import random

from openpyxl import Workbook

from observatoire.territoires.models import Commune

YEARS = range(2019, 2025)
FIRST_CSV_YEAR = 2023
DEPARTEMENT_TFB = 15.05  # Bouches-du-Rhône's TFB rate, transferred to the communes in 2021
EPCI_TFB = {2023: 2.59, 2024: 2.59}
EPCI_CFE = 32.95
REVALUATION = {2019: 1.022, 2020: 1.012, 2021: 1.002, 2022: 1.034, 2023: 1.071, 2024: 1.039}
AMP_SIREN = "200054807"
AMP_NAME = "MÉTROPOLE D'AIX-MARSEILLE-PROVENCE"
SECRET_BELOW = 600
OTHERS = [("13004", "ARLES", 51_000, "200035442", "CA ARLES-CRAU-CAMARGUE-MONTAGNETTE", "CA")]

IDENTITY_CODES = ["DEP", "DIR", "COM", "Q02", "SIREPCI", "Q03", "OPTEPCI", "FORJEPCI", "LIBCOM"]
IDENTITY_LABELS = [
    "DEPARTEMENT", "DIRECTION", "COMMUNE", "Numéro national du groupement", "NUMERO SIREN DE L'EPCI",
    "Libellé du Groupement", "option fiscale de l'EPCI (FPA, FPU ou FPZ)",
    "Forme juridique EPCI (CA, CU, CC, SAN ou Mét)", "Libellé commune",
]  # fmt: skip
# (code, long label, value name): the columns written, in the DGFiP's order. The labelled vintages
# split the groupement's CFE by fiscal regime; the metropolis levies the FPU: its « FP UNIQUE » column.
VARIABLES = [
    ("B11", "FNB - COMMUNE / BASE NETTE", "tfnb_base"),
    ("B12", "FNB - COMMUNE / TAUX NET", "tfnb_taux"),
    ("B12VOTE", "FNB - COMMUNE / TAUX VOTE", "tfnb_taux"),
    ("B13", "FNB - COMMUNE / MONTANT REEL", "tfnb_produit"),
    ("E11", "FB - COMMUNE / BASE NETTE", "tfb_base"),
    ("E12", "FB - COMMUNE / TAUX NET", "tfb_taux"),
    ("E12VOTE", "FB - COMMUNE / TAUX VOTE", "tfb_taux"),
    ("E13", "FB - COMMUNE / MONTANT REEL", "tfb_produit"),
    ("E31", "FB - GFP / BASE NETTE", "tfb_base"),
    ("E32", "FB - GFP / TAUX APPLICABLE SUR LE TERRITOIRE DE LA COMMUNE", "tfb_taux_epci"),
    ("E32VOTE", "FB - GFP / TAUX VOTE", "tfb_taux_epci"),
    ("E33", "FB - GFP / MONTANT REEL", "tfb_produit_epci"),
    ("F13", "FB - TEOM / MONTANT REEL TOTAL", "teom_produit"),
    ("F21", "FB - TEOM / TAUX PLEIN - BASE NETTE", "teom_base"),
    ("F22", "FB - TEOM / TAUX PLEIN - TAUX NET", "teom_taux"),
    # Codes are written from 2023 only, when the TH is the second homes' one (« THS » codes).
    ("H11THS", "TH - COMMUNE / BASE NETTE", "th_base"),
    ("H12", "TH - COMMUNE / TAUX NET", "th_taux"),
    ("H12VOTE", "TH - COMMUNE / TAUX VOTE", "th_taux"),
    ("H13THS", "TH - COMMUNE / MONTANT REEL", "th_produit"),
    ("P11", "CFE - COMMUNE / BASE", "zero"),
    ("P12", "CFE - COMMUNE /TAUX NET", "zero"),
    ("P13", "CFE - COMMUNE / PRODUIT REEL NET", "zero"),
    ("P31", "CFE - INTERCOMMUNALITE / BASE / FP UNIQUE", "cfe_base"),
    ("P32", "CFE - INTERCOMMUNALITE / TAUX NET / FP UNIQUE", "cfe_taux"),
    ("P33", "CFE - INTERCOMMUNALITE / PRODUIT REEL NET / FP UNIQUE", "cfe_produit"),
]


def _places():
    places = [
        (
            c.insee,
            c.nom.upper(),
            c.population or 1_000,
            AMP_SIREN,
            "MÉTROPOLE D'AIX-MARSEILLE-PROVENCE",
            "MET",
        )
        for c in Commune.objects.filter(epci__isnull=False).order_by("insee")
    ]
    return places + OTHERS


def _profile(rng, population):
    """A commune's own rates and bases per inhabitant, steady over the years."""
    return {
        "tfb_own": rng.uniform(20, 30),
        "tfnb": rng.uniform(30, 90),
        "teom": rng.uniform(8, 18),
        "th": rng.uniform(15, 35),
        "tfb_base": population * rng.uniform(1_000, 2_500),
        "tfnb_base": population * rng.uniform(1, 25),
        "teom_share": rng.uniform(0.9, 0.98),
        "th_base": population * rng.uniform(1_200, 2_000),
        "thrs_base": population * rng.uniform(30, 250),
        "cfe_base": population * rng.uniform(300, 900),
    }


def _values(profile, year, factor, population):
    tfb = round(profile["tfb_own"] + (DEPARTEMENT_TFB if year >= 2021 else 0), 2)
    base = round(profile["tfb_base"] * factor)
    th_base = round((profile["thrs_base"] if year >= FIRST_CSV_YEAR else profile["th_base"]) * factor)
    epci = EPCI_TFB.get(year, 0.0)
    values = {
        "tfb_base": base, "tfb_taux": tfb, "tfb_produit": round(base * tfb / 100),
        "tfb_taux_epci": epci, "tfb_produit_epci": round(base * epci / 100),
        "tfnb_base": round(profile["tfnb_base"] * factor), "tfnb_taux": round(profile["tfnb"], 2),
        "teom_base": round(base * profile["teom_share"]), "teom_taux": round(profile["teom"], 2),
        "th_base": th_base, "th_taux": round(profile["th"], 2),
        "cfe_base": round(profile["cfe_base"] * factor), "cfe_taux": EPCI_CFE, "zero": 0,
    }  # fmt: skip
    values["tfnb_produit"] = round(values["tfnb_base"] * values["tfnb_taux"] / 100)
    values["teom_produit"] = round(values["teom_base"] * values["teom_taux"] / 100)
    values["th_produit"] = round(th_base * values["th_taux"] / 100)
    values["cfe_produit"] = round(values["cfe_base"] * EPCI_CFE / 100)
    if population < SECRET_BELOW:
        values["tfnb_base"] = values["tfnb_produit"] = None
    return values


def _rows(places, profiles, year, factor):
    for insee, name, population, siren, groupement, forme in places:
        values = _values(profiles[insee], year, factor, population)
        identity = [insee[:2], "0", insee[2:], siren, siren, groupement, "FPU", forme, name]
        yield identity, [values[name] for _, _, name in VARIABLES]


def _workbook(path, rows):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(path.stem)
    sheet.append([*IDENTITY_LABELS, *(label for _, label, _ in VARIABLES)])
    for identity, values in rows:
        sheet.append([*identity, *values])
    book.save(path)


def _csv(path, rows):
    def cell(value):
        return "" if value is None else str(value).replace(".", ",")

    with open(path, "w", encoding="latin-1", errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([*IDENTITY_CODES, *(code for code, _, _ in VARIABLES)])
        for identity, values in rows:
            writer.writerow([*identity, *(cell(value) for value in values)])


def write_demo_files(folder, seed=2026):
    """The REI of 2019 to 2024 in ``folder``, each year in its vintage's layout: [("rei", path), …]."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    places = _places()
    profiles = {insee: _profile(rng, population) for insee, _, population, *_ in places}
    written, factor = [], 1.0
    for year in YEARS:
        factor *= REVALUATION[year]
        rows = _rows(places, profiles, year, factor)
        if year >= FIRST_CSV_YEAR:
            path = folder / f"REI_{year}.csv"
            _csv(path, rows)
        else:
            path = folder / f"REI_{year}.xlsx"
            _workbook(path, rows)
        written.append(("rei", path))
    return written
