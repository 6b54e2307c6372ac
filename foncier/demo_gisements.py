"""Demo files in the published formats: a GeoPackage of the CNIG layer ``zone_urba`` and a GeoJSON
inventory of gisements fonciers, drawn from the real commune boundaries (deterministic)."""

import logging
import math
import random

import geopandas
import shapely
from django.conf import settings

from observatoire.territoires.models import Commune

IDURBA = "200054807_20191219"
DENSITY = {"dent creuse": 45, "division parcellaire": 25, "friche": 70, "extension": 35}  # dwellings per ha
SIZES = {"dent creuse": (400, 3000), "division parcellaire": (700, 2500), "friche": (4000, 40000),
         "extension": (15000, 90000)}  # fmt: skip
STATUTS = ["identifié"] * 5 + ["à l'étude"] * 3 + ["maîtrisé", "projet", "réalisé"]
ECHEANCES = ["court terme", "moyen terme", "long terme", ""]

# pyogrio logs « Created N records » at INFO for every file written: noise in `load_demo`.
logging.getLogger("pyogrio._io").setLevel(logging.WARNING)


def _communes():
    rows = (
        Commune.objects.filter(epci__isnull=False)
        .order_by("insee")
        .values_list("insee", "nom", "population", "geom")
    )
    return [
        (insee, nom, population, shapely.from_wkb(bytes(geom.wkb))) for insee, nom, population, geom in rows
    ]


def _layout(geom, population):
    """Built-up core (a disc around a point of the commune) and the ring around it for extensions."""
    centre = geom.point_on_surface()
    density = population / max(geom.area / 1e6, 0.5)
    share = min(0.55, max(0.06, density / 5000))
    radius = math.sqrt(geom.area * share / math.pi)
    core = centre.buffer(radius, quad_segs=16)
    ring = centre.buffer(radius * 1.15, quad_segs=16).difference(core)
    return centre, core, ring


def _half(geom, centre, side):
    x, y = centre.x, centre.y
    minx, miny, maxx, maxy = geom.bounds
    boxes = {
        "est": shapely.box(x, miny - 1, maxx + 1, maxy + 1),
        "sud-ouest": shapely.box(minx - 1, miny - 1, x, y),
        "nord": shapely.box(minx - 1, y, maxx + 1, maxy + 1),
        "sud": shapely.box(minx - 1, miny - 1, maxx + 1, y),
    }
    return geom.intersection(boxes[side])


def write_zone_urba(path):
    rows = []
    for index, (insee, nom, population, geom) in enumerate(_communes()):
        centre, core, ring = _layout(geom, population)
        outside = geom.difference(core.union(ring)).simplify(40)
        zones = [
            ("UA", "Zone urbaine centrale", "U", "01", geom.intersection(core)),
            ("1AU", "Zone à urbaniser ouverte", "AUc", "01", _half(geom.intersection(ring), centre, "est")),
            (
                "2AU",
                "Zone à urbaniser fermée",
                "AUs",
                "01",
                _half(geom.intersection(ring), centre, "sud-ouest"),
            ),
            ("A", "Zone agricole", "A", "00", _half(outside, centre, "sud")),
            ("N", "Zone naturelle et forestière", "N", "00", _half(outside, centre, "nord")),
        ]
        for libelle, libelong, typezone, destdomi, shape in zones:
            if shape.is_empty or shape.area < 100:
                continue
            rows.append({
                "LIBELLE": libelle, "LIBELONG": f"{libelong} ({nom})", "TYPEZONE": typezone,
                "DESTDOMI": destdomi, "NOMFIC": f"{IDURBA}_reglement_{libelle}.pdf",
                "URLFIC": f"https://www.geoportail-urbanisme.gouv.fr/document/by-id/{IDURBA}",
                # A PLU(i) may leave INSEE empty: one commune in ten leans on the overlap.
                "INSEE": "" if index % 10 == 3 else insee,
                "DATAPPRO": "20191219", "DATVALID": "20200120", "IDURBA": IDURBA,
                "geometry": shapely.MultiPolygon(
                    [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon"]
                ),
            })  # fmt: skip
    frame = geopandas.GeoDataFrame(rows, geometry="geometry", crs=settings.STORAGE_SRID)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    frame.to_file(path, layer="zone_urba", driver="GPKG")
    return path


def _random_inside(rng, area, tries=200):
    minx, miny, maxx, maxy = area.bounds
    for _ in range(tries):
        point = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if area.contains(point):
            return point
    return area.representative_point()


def _parcel(rng, centre, surface):
    ratio = rng.uniform(0.6, 1.6)
    width, height = math.sqrt(surface * ratio), math.sqrt(surface / ratio)
    return shapely.box(
        centre.x - width / 2, centre.y - height / 2, centre.x + width / 2, centre.y + height / 2
    )


def _gisement(rng, number, insee, nom, geom, core, ring, kind):
    area = geom.intersection(ring if kind == "extension" else core)
    if area.is_empty:
        area = geom
    shape = _parcel(rng, _random_inside(rng, area), rng.uniform(*SIZES[kind])).intersection(geom)
    surface = round(shape.area)
    return {
        "id_gisement": f"GF-{insee}-{number:03d}",
        "insee": "" if rng.random() < 0.1 else insee,
        "nom": f"{kind.capitalize()} n° {number}, {nom}",
        "type": kind,
        # The inventory leaves the area empty at times: the importer computes it.
        "surface_m2": None if rng.random() < 0.2 else surface,
        "potentiel_logements": round(surface / 10_000 * DENSITY[kind]),
        "statut": rng.choice(STATUTS),
        "echeance": rng.choice(ECHEANCES),
        "geometry": shape,
    }


def write_gisements(path, total=300, seed=2026):
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    communes = _communes()
    population = sum(c[2] for c in communes) or 1
    kinds = ["dent creuse"] * 4 + ["division parcellaire"] * 3 + ["friche"] * 2 + ["extension"] * 2
    rows = []
    for insee, nom, people, geom in communes:
        _, core, ring = _layout(geom, people)
        count = 1 + round((total - len(communes)) * people / population)
        rows += [
            _gisement(rng, n, insee, nom, geom, core, ring, rng.choice(kinds)) for n in range(1, count + 1)
        ]
    frame = geopandas.GeoDataFrame(rows, geometry="geometry", crs=settings.STORAGE_SRID).to_crs(4326)
    # Two sites in the Var the inventory shared with a neighbour: outside the territory, skipped.
    for number, (x, y, insee) in enumerate([(5.93, 43.125, "83137"), (6.05, 43.20, "")], start=1):
        outside = {**rows[0], "id_gisement": f"GF-VAR-{number:03d}", "insee": insee, "nom": "Hors métropole"}
        outside["geometry"] = shapely.box(x, y, x + 0.002, y + 0.0015)
        frame.loc[len(frame)] = outside
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON")
    return path
