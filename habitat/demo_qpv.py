"""Demo QPV contours: a GeoJSON with the official properties (code_qp, lib_qp, insee_com, lib_com,
siren_epci), small polygons drawn by PostGIS inside the real communes or arrondissements, loaded
through the zone importer (``import_zones --type QPV``) as the real file would be.

The names are those of real priority neighbourhoods; the shapes are not theirs.
"""

import json

from django.db import connection

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone
from observatoire.territoires.zones import ZoneFields, import_zones

SIREN_AMP = "200054807"
FIELDS = ZoneFields(code="code_qp", nom="lib_qp", commune="insee_com")
# (official code of the host commune or arrondissement, commune name, neighbourhood names)
QUARTIERS = [
    ("13203", "Marseille", ["Centre-Ville Canet Arnavaux Jean Jaurès"]),
    ("13213", "Marseille", ["Frais Vallon Le Clos La Rose Petit Séminaire", "Malpassé Corot"]),
    ("13214", "Marseille", ["Saint-Barthélemy Le Grand Saint-Barthélemy Font-Vert", "Les Flamants Iris"]),
    ("13215", "Marseille", ["Kallisté La Granière La Solidarité", "Les Aygalades", "Bassens"]),
    ("13216", "Marseille", ["La Castellane La Bricarde Plan d'Aou Saint-Antoine"]),
    ("13211", "Marseille", ["Air Bel"]),
    ("13001", "Aix-en-Provence", ["Encagnane", "Jas de Bouffan", "Corsy La Grande Bastide Beisson"]),
    ("13056", "Martigues", ["Notre-Dame des Marins", "Mas de Pouane", "Canto Perdrix"]),
    ("13054", "Marignane", ["Centre ancien Marignane"]),
    ("13028", "La Ciotat", ["Abeille Maurelle Matagots"]),
    ("13117", "Vitrolles", ["Les Pins", "Centre urbain Vitrolles"]),
    ("13063", "Miramas", ["La Maille Mercure"]),
    ("13103", "Salon-de-Provence", ["Les Canourgues", "La Monaque"]),
    ("13077", "Port-de-Bouc", ["Les Comtes Tassy Bellevue"]),
    ("13047", "Istres", ["Les Échoppes Le Prépaou"]),
    ("13005", "Aubagne", ["Charrel", "Le Pin Vert"]),
    ("13014", "Berre-l'Étang", ["Béalet Bessons Mariélie"]),
    ("13078", "Port-Saint-Louis-du-Rhône", ["Vauban Allende"]),
]
SPACING = 1200  # metres between the centres of two neighbourhoods of one host

# The host is an arrondissement (Marseille) or a commune: one of the two selects finds it.
CANDIDATES = """
    WITH host AS (
        SELECT geom FROM territoires_zone WHERE type = %(arm)s AND code = %(code)s
        UNION ALL SELECT geom FROM territoires_commune WHERE insee = %(code)s
    ),
    shrunk AS (SELECT geom, ST_Buffer(geom, -700) AS inner_geom FROM host),
    inner_area AS (SELECT CASE WHEN ST_IsEmpty(inner_geom) THEN geom ELSE inner_geom END AS g FROM shrunk)
    SELECT ST_X(p.geom), ST_Y(p.geom)
    FROM inner_area, ST_Dump(ST_GeneratePoints(inner_area.g, 40, %(seed)s)) AS p
    ORDER BY p.path
"""
POLYGON = """
    WITH host AS (
        SELECT geom FROM territoires_zone WHERE type = %(arm)s AND code = %(code)s
        UNION ALL SELECT geom FROM territoires_commune WHERE insee = %(code)s
    )
    SELECT ST_AsGeoJSON(ST_Transform(ST_Intersection(
        ST_Buffer(ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 2154), %(radius)s, 'quad_segs=3'), host.geom
    ), 4326), 6)
    FROM host
"""


def _centres(cursor, code, count, seed):
    """``count`` seeded points inside the host, at least SPACING apart when the host allows it."""
    cursor.execute(CANDIDATES, {"arm": ZoneType.ARRONDISSEMENT, "code": code, "seed": seed})
    candidates = cursor.fetchall()
    chosen = []
    for x, y in candidates:
        if all((x - cx) ** 2 + (y - cy) ** 2 >= SPACING**2 for cx, cy in chosen):
            chosen.append((x, y))
        if len(chosen) == count:
            return chosen
    return (chosen + candidates)[:count]


def features():
    result, number = [], 0
    with connection.cursor() as cursor:
        for seed, (code, commune, names) in enumerate(QUARTIERS, start=1):
            for index, (x, y) in enumerate(_centres(cursor, code, len(names), seed)):
                number += 1
                radius = 300 + 40 * ((number * 7) % 5)  # 300–460 m: a few hundred to a thousand dwellings
                cursor.execute(
                    POLYGON,
                    {"arm": ZoneType.ARRONDISSEMENT, "code": code, "x": x, "y": y, "radius": radius},
                )
                properties = {
                    "code_qp": f"QN013{number:02d}M",
                    "lib_qp": names[index],
                    "insee_com": code,
                    "lib_com": commune,
                    "siren_epci": SIREN_AMP,
                }
                geometry = json.loads(cursor.fetchone()[0])
                result.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return result


def write_demo_file(path):
    collection = {"type": "FeatureCollection", "name": "qpv_2024", "features": features()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def load(folder):
    """Import the demo QPV once (none in the database yet); returns the number of zones imported."""
    if Zone.objects.filter(type=ZoneType.QPV).exists():
        return 0
    path = write_demo_file(folder / "qpv_2024.geojson")
    return import_zones(path, ZoneType.QPV, FIELDS).inserted
