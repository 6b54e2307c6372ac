"""Demo: a DVF géolocalisées file in exactly the published format, generated for the real communes
(points drawn by PostGIS inside each commune or arrondissement) and loaded through the importer."""

import csv
import gzip
import random
import zlib
from datetime import date, timedelta

from django.conf import settings
from django.db import connection

from foncier.models import Mutation

from .columns import HEADER, VEFA, VENTE, VENTE_TERRAIN_A_BATIR
from .importer import import_path
from .indicateurs import recompute

YEARS = range(2019, 2025)
YEAR_FACTOR = {2019: 0.92, 2020: 0.96, 2021: 1.02, 2022: 1.08, 2023: 1.05, 2024: 1.01}
# €/m² of an apartment by Marseille arrondissement (the north and centre cheaper, the south dearer).
MARSEILLE = {1: 3200, 2: 3500, 3: 3000, 4: 3300, 5: 3500, 6: 4300, 7: 5500, 8: 5300,
             9: 4200, 10: 3400, 11: 3300, 12: 4000, 13: 3200, 14: 3000, 15: 3000, 16: 3300}  # fmt: skip
OUTSIDE = [
    ("13004", "Arles", "13200", 4.63, 43.68, 0.006),
    ("13108", "Tarascon", "13150", 4.66, 43.81, 0.003),
]
KINDS = [("appartement", 46), ("maison", 24), ("appartements", 3), ("activite", 4), ("dependance", 5),
         ("terrain_a_batir", 6), ("terrain", 9), ("mixte", 2), ("autre", 1)]  # fmt: skip
CULTURES = {"S": "sols", "J": "jardins", "AB": "terrains a bâtir", "T": "terres", "P": "prés",
            "BT": "taillis simples", "L": "landes", "VI": "vignes", "AG": "terrains d'agrément"}  # fmt: skip
VOIES = ["RUE DE LA REPUBLIQUE", "AV DU PRADO", "BD NATIONAL", "CHE DES BASTIDES", "RTE DE MARSEILLE",
         "PL DES PRECHEURS", "TRA DES ROSIERS", "IMP DES OLIVIERS", "ALL DES PINS", "CRS MIRABEAU"]  # fmt: skip
ACTIVITE = "Local industriel. commercial ou assimilé"
POOL = 1500


def _places():
    """(code, nom, code postal, weight, €/m², [(lon, lat, parcelle)]) for every commune and arrondissement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH places AS (
                SELECT insee AS code, nom, population, geom FROM territoires_commune
                WHERE epci_id IS NOT NULL AND insee <> '13055'
                UNION ALL
                SELECT z.code, z.nom, COALESCE(z.population, 0), z.geom FROM territoires_zone z
                JOIN territoires_commune c ON c.id = z.commune_id
                WHERE z.type = 'ARM' AND c.epci_id IS NOT NULL
            )
            SELECT code, nom, population, array_agg(ST_X(p) ORDER BY n), array_agg(ST_Y(p) ORDER BY n)
            FROM (
                SELECT code, nom, population, d.path[1] AS n, ST_Transform(d.geom, 4326) AS p
                FROM places, ST_Dump(ST_GeneratePoints(geom, %s, 7)) d
            ) s
            GROUP BY code, nom, population ORDER BY code
            """,
            [POOL],
        )
        rows = cursor.fetchall()
    places = []
    for code, nom, population, xs, ys in rows:
        crc = zlib.crc32(code.encode())
        if code.startswith("132"):
            price, postal = MARSEILLE[int(code[3:])], f"130{code[3:]}"
        else:
            price = 5000 if code == "13001" else 2500 + crc % 2000
            postal = f"13{(crc // 7) % 90 + 10:02d}0"
        points = [
            (round(x, 6), round(y, 6), f"{code}000{_section(i)}{(i * 37) % 9000 + 1:04d}")
            for i, (x, y) in enumerate(zip(xs, ys, strict=True))
        ]
        places.append((code, nom, postal, population or 1, price, points))
    total = sum(p[3] for p in places)
    for code, nom, postal, lon, lat, share in OUTSIDE:
        points = [(lon, lat, f"{code}000{_section(i)}{i + 1:04d}") for i in range(50)]
        places.append((code, nom, postal, total * share, 3000, points))
    return places


def _section(i):
    return chr(65 + i // 26 % 26) + chr(65 + i % 26)


def _number(value):
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != "" else ""


class _Writer:
    """Writes the rows of one mutation at a time, with the columns the real file repeats on each."""

    def __init__(self, stream, rng):
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(HEADER)
        self.rng = rng
        self.sequence = dict.fromkeys(YEARS, 0)
        self.rows = 0

    def mutation(self, year, place, nature, valeur, rows, coordinates=True):
        code, nom, postal, _, _, _ = place
        self.sequence[year] += 1
        ident = f"{year}-{self.sequence[year]}"
        day = date(year, 1, 1) + timedelta(days=self.rng.randrange(365))
        numero = self.rng.randrange(1, 120)
        voie = self.rng.choice(VOIES)
        for parcel, local, culture, terrain, lots in rows:
            lon, lat, parcelle = parcel
            lot_cells = []
            for k in range(5):
                lot_cells += [lots[k][0], _number(lots[k][1])] if k < len(lots) else ["", ""]
            type_code, type_label, bati, pieces = local or ("", "", "", "")
            self.writer.writerow(
                [ident, day.isoformat(), "000001", nature, _number(valeur), numero, "", voie,
                 f"{zlib.crc32(voie.encode()) % 9000:04d}", postal, code, nom, "13", "", "", parcelle,
                 "", "", *lot_cells, len(lots), type_code, type_label, bati, pieces,
                 culture, CULTURES.get(culture, ""), "", "", terrain,
                 lon if coordinates else "", lat if coordinates else ""]
            )  # fmt: skip
        self.rows += len(rows)


def _lot(rng, surface=""):
    return (str(rng.randrange(1, 400)), round(surface * rng.uniform(0.93, 0.99), 2) if surface else "")


def _rooms(surface):
    return max(1, min(7, round(surface / 22)))


def _one(rng, writer, year, place):
    """One mutation of a random kind, priced from the place's €/m² and the year."""
    price = place[4] * YEAR_FACTOR[year] * rng.uniform(0.8, 1.2)
    points = place[5]
    parcel = rng.choice(points)
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    nature = VENTE
    rows = []
    if kind in ("appartement", "appartements"):
        for _ in range(1 if kind == "appartement" else rng.randrange(2, 5)):
            surface = rng.randrange(18, 115)
            rows.append(
                (parcel, ("2", "Appartement", surface, _rooms(surface)), "", "", [_lot(rng, surface)])
            )
        if rng.random() < 0.5:
            rows.append((parcel, ("3", "Dépendance", "", 0), "", "", [_lot(rng)]))
        surface_total = sum(r[1][2] for r in rows if r[1][1] == "Appartement")
        if kind == "appartement" and rng.random() < 0.08:
            nature, price = VEFA, price * 1.2
        valeur = round(surface_total * price, -2)
    elif kind in ("maison", "mixte"):
        surface, terrain = rng.randrange(60, 190), rng.randrange(200, 1500)
        house = ("1", "Maison", surface, _rooms(surface + 20))
        rows.append((parcel, house, "S", terrain, []))
        if rng.random() < 0.35:  # a garden on the same parcel: the house's row is repeated per culture
            rows.append((parcel, house, "J", rng.randrange(100, 800), []))
        if rng.random() < 0.3:  # a garage: the land is repeated on its row
            rows.append((parcel, ("3", "Dépendance", "", 0), "S", terrain, []))
        valeur = round(surface * price * 1.1 + terrain * 40, -2)
        if kind == "mixte":
            rows.append((parcel, ("4", ACTIVITE, rng.randrange(40, 200), 0), "S", terrain, []))
            valeur *= 1.4
    elif kind == "activite":
        surface = rng.randrange(40, 800)
        rows.append((parcel, ("4", ACTIVITE, surface, 0), "S", rng.randrange(100, 2000), []))
        valeur = round(surface * price * 0.6, -2)
    elif kind == "dependance":
        rows.append((parcel, ("3", "Dépendance", "", 0), "", "", [_lot(rng)]))
        valeur = round(rng.uniform(8000, 35000), -2)
    elif kind == "terrain_a_batir":
        terrain = 0
        for parcel in rng.sample(points, rng.choice([1, 1, 1, 2])):
            surface = rng.randrange(300, 1500)
            rows.append((parcel, None, "AB", surface, []))
            terrain += surface
        nature = VENTE_TERRAIN_A_BATIR if rng.random() < 0.7 else VENTE
        valeur = round(terrain * rng.uniform(120, 450) * place[4] / 4000, -2)
    elif kind == "terrain":
        terrain = 0
        for parcel in rng.sample(points, rng.randrange(1, 4)):
            surface = rng.randrange(500, 20000)
            rows.append((parcel, None, rng.choice(["T", "P", "BT", "L", "VI", "AG"]), surface, []))
            terrain += surface
        valeur = round(terrain * rng.uniform(2, 15), -1)
    else:  # lots without any local described (a share of a copropriété's common parts)
        rows.append((parcel, None, "", "", [_lot(rng)]))
        valeur = round(rng.uniform(1000, 20000), -2)
    if nature == VENTE and rng.random() < 0.015:
        nature = rng.choice(["Echange", "Adjudication", "Expropriation"])
    writer.mutation(year, place, nature, valeur, rows, coordinates=rng.random() >= 0.02)


def write_demo_file(path, rows=250_000, seed=2026, compresslevel=6):
    """A gzipped DVF file of about ``rows`` rows over 2019–2024; the same seed gives the same file."""
    rng = random.Random(seed)
    places = _places()
    weights = [p[3] for p in places]
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=compresslevel) as stream:
        writer = _Writer(stream, rng)
        while writer.rows < rows:
            for place in rng.choices(places, weights=weights, k=1000):
                _one(rng, writer, rng.choice(YEARS), place)
    return path


def load_demo_dvf():
    """Idempotent: generated and imported once; returns the summary (None when already loaded)."""
    if Mutation.objects.exists():
        return None
    path = write_demo_file(settings.BASE_DIR / "var" / "demo" / "dvf_13.csv.gz")
    summary = import_path(path, schedule=False)
    recompute()
    return summary
