"""Demo: DGCL « critères de répartition des dotations » of the territory's communes, 2019–2024,
one file a year in that year's labels (2019; 2020–2021; « final » from 2022), decimal comma, and
loaded through ``import_dgcl_criteres`` (the year is read from each file's name).

Orders of magnitude: potentiel financier 900–1 700 € per inhabitant (Marseille near its stratum's
average), population DGF a few % above the INSEE one (second homes count), effort fiscal 0.9–1.4.
"""

import random

from observatoire.territoires.models import Commune

KIND = "dgcl_criteres"
YEARS = range(2019, 2025)
GENERAL = "Informations générales - "
POTENTIEL = "Potentiel fiscal et financier des communes - "
# The DGCL's demographic strata of the communes (lower bounds of population DGF).
STRATES = [
    0,
    500,
    1000,
    2000,
    3500,
    5000,
    7500,
    10_000,
    15_000,
    20_000,
    35_000,
    50_000,
    75_000,
    100_000,
    200_000,
]
# A stratum's average potentiel financier per inhabitant (€, 2019) and effort fiscal.
MOYENNES = {1: 690, 2: 700, 3: 720, 4: 760, 5: 800, 6: 860, 7: 910, 8: 960, 9: 1010, 10: 1060, 11: 1110,
            12: 1140, 13: 1220, 14: 1355, 15: 1400}  # fmt: skip


def labels(year):
    """(separator, encoding, [labels]) of the year's file, as the DGCL wrote them."""
    if year == 2019:
        names = [
            f"{GENERAL}Code INSEE de la commune", f"{GENERAL}Nom de la commune",
            f"{GENERAL}Population DGF Année N'", f"{GENERAL}Population INSEE Année N ",
            f"{GENERAL}Strate démographique Année N", f"{POTENTIEL}Potentiel fiscal 4 taxes",
            f"{POTENTIEL}Potentiel financier", f"{POTENTIEL}Potentiel financier par habitant",
            f"{POTENTIEL}Potentiel financier moyen de la strate", "Effort fiscal - Effort fiscal",
        ]  # fmt: skip
        return ",", "utf-8", names
    final = " final" if year >= 2022 else ""
    population = "Population DGF de l'année N'" if year == 2020 else "Population DGF de l'année N"
    names = [
        f"{GENERAL}Code INSEE de la commune", f"{GENERAL}Nom de la commune", f"{GENERAL}{population}",
        f"{GENERAL}Population INSEE de l'année N", f"{GENERAL}Strate démographique de l'année N",
        f"{POTENTIEL}Potentiel fiscal 4 taxes{final}", f"{POTENTIEL}Potentiel financier{final}",
        f"{POTENTIEL}Potentiel financier par habitant{final}",
        f"{POTENTIEL}Potentiel financier moyen par habitant de la strate",
        f"Effort fiscal - Effort fiscal{final}",
    ]  # fmt: skip
    if year >= 2022:
        # The DGCL stopped publishing the stratum's mean with the « final » potentials.
        names.remove(f"{POTENTIEL}Potentiel financier moyen par habitant de la strate")
    separator, encoding = (";", "cp1252") if year in (2021, 2022) else (",", "utf-8")
    return separator, encoding, names


def strate(population_dgf):
    return sum(population_dgf >= bound for bound in STRATES)


def _decimal(value, digits):
    return f"{value:.{digits}f}".replace(".", ",")


def rows(rng, communes, year):
    """One list of cells per commune, in the order of ``labels``."""
    growth = 1 + 0.025 * (year - 2019)
    for insee, nom, population, traits in communes:
        dgf = round(population * traits["dgf"] * (1 + 0.003 * (year - 2019)))
        stratum = strate(dgf)
        pf_hab = traits["pf"] * growth * rng.uniform(0.98, 1.02)
        pf = pf_hab * dgf
        effort = traits["effort"] + rng.uniform(-0.02, 0.02)
        moyenne = [_decimal(MOYENNES[stratum] * growth, 6)] if year < 2022 else []
        yield [
            insee, nom.upper(), str(dgf), str(population), str(stratum), str(round(pf * 0.82)),
            str(round(pf)), _decimal(pf_hab, 6), *moyenne, _decimal(effort, 6),
        ]  # fmt: skip


def _line(cells, separator):
    quoted = [f'"{cell}"' if separator in cell else cell for cell in cells]
    return separator.join(quoted)


def write_demo_files(folder, seed=2026):
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    communes = []
    for insee, nom, population in (
        Commune.objects.filter(epci__isnull=False).order_by("insee").values_list("insee", "nom", "population")
    ):
        marseille = insee == "13055"
        traits = {
            "dgf": 1.025 if marseille else rng.uniform(1.01, 1.12),
            "pf": 1405.0 if marseille else rng.uniform(900, 1700),
            "effort": 1.3 if marseille else rng.uniform(0.9, 1.4),
        }
        communes.append((insee, nom, population or 1000, traits))
    written = []
    for year in YEARS:
        separator, encoding, names = labels(year)
        lines = [_line(names, separator)]
        lines += [_line(cells[: len(names)], separator) for cells in rows(rng, communes, year)]
        name = (
            "2019-communes-criteres-repartition.csv" if year == 2019 else f"criteres_repartition_{year}.csv"
        )
        path = folder / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        written.append((KIND, path))
    return written
