"""Demo: OFGL consolidated accounts of the territory's communes and of the métropole, written in the
OFGL's export layouts and loaded through ``import_ofgl_comptes`` as a user with the real files would.

Exercices 2019–2020 in the older export (geography 2023, ``Montant`` only), 2021–2024 in the
current one (geography 2024, ``Montant BP`` / ``BA`` / ``flux BP-BA`` / ``Montant``); the
métropole (SIREN 200054807) in the groupements' file. Orders of magnitude of the AMP: operating
spending 1 000–1 500 €/inhabitant (Marseille ~1 650), gross savings 8–15 % of operating revenue,
debt 500–1 500 €/inhabitant (Marseille ~2 000).
"""

import random

from observatoire.territoires.models import Commune, Epci

AMP_SIREN = "200054807"
KIND = "ofgl_comptes"
OLD_YEARS = range(2019, 2021)
NEW_YEARS = range(2021, 2025)
GEO_REGION = ("93", "Provence-Alpes-Côte d'Azur")
GEO_DEPARTEMENT = ("13", "Bouches-du-Rhône")
NEW_HEADER = (
    "Exercice;Outre-mer;Code Insee 2024 Région;Nom 2024 Région;Code Insee 2024 Département;"
    "Nom 2024 Département;Code Siren 2024 EPCI;Nom 2024 EPCI;Strate population 2024;Commune rurale;"
    "Commune de montagne;Commune touristique;Tranche revenu par habitant;Présence QPV;"
    "Code Insee 2024 Commune;Nom 2024 Commune;Catégorie;Code Siren Collectivité;Code Insee Collectivité;"
    "Libellé Budget;Agrégat;Montant BP;Montant BA;Montant flux BP-BA;Montant;Montant en millions;"
    "Population totale;Montant en € par habitant;Compte 2024 Disponible"
)
OLD_HEADER = (
    "Exercice;Outre-mer;Code Insee 2023 Région;Nom 2023 Région;Code Insee 2023 Département;"
    "Nom 2023 Département;Code Siren 2023 EPCI;Nom 2023 EPCI;Strate population 2023;Commune rurale;"
    "Commune de montagne;Commune touristique;Tranche revenu par habitant;Présence QPV;"
    "Code Insee 2023 Commune;Nom 2023 Commune;Catégorie;Code Siren Collectivité;Code Insee Collectivité;"
    "Libellé Budget;Agrégat;Montant;Montant en millions;Population totale;Montant en € par habitant"
)
GFP_HEADER = (
    "Exercice;Outre-mer;Code Insee 2024 Région;Nom 2024 Région;Code Insee 2024 Département;"
    "Nom 2024 Département;Strate population 2024;Nature juridique 2024 abrégée;Nature juridique 2024;"
    "Mode de financement;Tranche revenu par habitant;Code Siren 2024 EPCI;Nom 2024 EPCI;"
    "Code Siren Collectivité;Libellé Budget;Agrégat;Montant BP;Montant BA;Montant flux BP-BA;Montant;"
    "Montant en millions;Population totale;Montant en € par habitant"
)
# Nominal growth of operating spending, year on year (inflation 2022–2023).
GROWTH = {2019: 1.0, 2020: 1.005, 2021: 1.03, 2022: 1.085, 2023: 1.15, 2024: 1.18}


def siren_of(insee):
    """A commune's SIREN: 21, its département, 0 and its number, then the Luhn key (Marseille 211300553)."""
    body = f"21{insee[:2]}0{insee[2:]}"
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def strate_ofgl(population):
    """The OFGL's coded stratum (0: < 100 inhabitants … 10: 100 000 and more)."""
    bounds = [100, 200, 500, 2000, 3500, 5000, 10_000, 20_000, 50_000, 100_000]
    return sum(population >= bound for bound in bounds)


def profile(rng, insee):
    """Per-inhabitant levels of 2019 for one commune (Marseille above the others)."""
    if insee == "13055":
        return {"df": 1650.0, "epargne": 0.08, "dette": 2000.0, "equipement": 260.0, "personnel": 0.6}
    return {
        "df": rng.uniform(1000, 1450),
        "epargne": rng.uniform(0.08, 0.15),
        "dette": rng.uniform(500, 1500),
        "equipement": rng.uniform(200, 520),
        "personnel": rng.uniform(0.5, 0.62),
    }


def agregats(rng, levels, population, year):
    """{agrégat: amount in €} for one year, consistent with each other (savings = revenue − spending)."""
    growth = GROWTH[year] * rng.uniform(0.98, 1.02)
    df = levels["df"] * growth * population
    rate = min(0.16, max(0.05, levels["epargne"] + rng.uniform(-0.02, 0.02)))
    rf = df / (1 - rate)
    dette = levels["dette"] * population * (1 - 0.02 * (year - 2019)) * rng.uniform(0.97, 1.03)
    equipement = levels["equipement"] * population * rng.uniform(0.75, 1.3)
    remboursements = dette / rng.uniform(10, 15)
    charges = dette * 0.018
    return {
        "Dépenses de fonctionnement": df,
        "Recettes de fonctionnement": rf,
        "Frais de personnel": df * levels["personnel"],
        "Charges financières": charges,
        "Epargne brute": rf - df,
        "Epargne nette": rf - df - remboursements,
        "Encours de dette": dette,
        "Remboursements d'emprunts hors GAD": remboursements,
        "Annuité de la dette": remboursements + charges,
        "Dépenses d'équipement": equipement,
        "Dépenses d'investissement": equipement * 1.2 + remboursements,
        "Dépenses totales": df + equipement * 1.2 + remboursements,
    }


def _split(rng, amount, agregat):
    """(BP, BA, flux) of a consolidated amount: annex budgets carry a small share, half of it crossed."""
    if agregat.startswith("Epargne") or rng.random() < 0.5:
        return amount, 0.0, 0.0
    annex = abs(amount) * rng.uniform(0.01, 0.05)
    flux = annex * 0.5
    return amount - annex + flux, annex, flux


def _euros(value):
    return f"{value:.2f}"


def write_demo_files(folder, seed=2026):
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    metropole = Epci.objects.get(siren=AMP_SIREN)
    communes = list(
        Commune.objects.filter(epci__isnull=False).order_by("insee").values_list("insee", "nom", "population")
    )
    old, new = [OLD_HEADER], [NEW_HEADER]
    epci = f"{AMP_SIREN};{metropole.nom}"
    place = f"{GEO_REGION[0]};{GEO_REGION[1]};{GEO_DEPARTEMENT[0]};{GEO_DEPARTEMENT[1]}"
    for insee, nom, population in communes:
        levels = profile(rng, insee)
        population = population or 1000
        ident = f"{insee};{nom};Commune;{siren_of(insee)};{insee};{nom.upper()}"
        traits = f"{strate_ofgl(population)};Non;Non;{'Oui' if rng.random() < 0.3 else 'Non'};2;Non"
        for year in [*OLD_YEARS, *NEW_YEARS]:
            people = round(population * (1 - 0.004 * (2024 - year)))
            for agregat, amount in agregats(rng, levels, people, year).items():
                tail = f"{amount / 1e6:.6f};{people};{amount / people:.2f}"
                if year in OLD_YEARS:
                    old.append(
                        f"{year};Non;{place};{epci};{traits};{ident};{agregat};{_euros(amount)};{tail}"
                    )
                else:
                    bp, ba, flux = _split(rng, amount, agregat)
                    amounts = ";".join(_euros(v) for v in (bp, ba, flux, amount))
                    new.append(f"{year};Non;{place};{epci};{traits};{ident};{agregat};{amounts};{tail};1")
    gfp = [GFP_HEADER]
    total = sum(population or 0 for _, _, population in communes)
    levels = {"df": 880.0, "epargne": 0.1, "dette": 1400.0, "equipement": 300.0, "personnel": 0.25}
    for year in [*OLD_YEARS, *NEW_YEARS]:
        people = round(total * (1 - 0.004 * (2024 - year)))
        for agregat, amount in agregats(rng, levels, people, year).items():
            bp, ba, flux = _split(rng, amount, agregat)
            amounts = ";".join(_euros(v) for v in (bp, ba, flux, amount))
            gfp.append(
                f"{year};Non;{place};{strate_ofgl(people)};MET;Métropole;FPU;2;{epci};{AMP_SIREN};"
                f"METROPOLE AIX MARSEILLE PROVENCE;{agregat};{amounts};{amount / 1e6:.6f};{people};"
                f"{amount / people:.2f}"
            )
    files = [
        ("ofgl-base-communes-consolidee_2019_2020.csv", old),
        ("ofgl-base-communes-consolidee.csv", new),
        ("ofgl-base-gfp-consolidee.csv", gfp),
    ]
    written = []
    for name, lines in files:
        path = folder / name
        path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
        written.append((KIND, path))
    return written
