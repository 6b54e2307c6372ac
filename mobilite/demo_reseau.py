"""Demo files with geometry: a GTFS feed over the real communes and INSEE-style 200 m cells.

Deterministic (seeded). Lines run through each commune's centre (the Vieux-Port for Marseille,
the Cours Mirabeau for Aix), stops keep inside the commune; population is denser near the
centre and adds up to the commune's population.
"""

import csv
import datetime
import io
import math
import random
import zipfile

import numpy as np
import shapely
from pyproj import Transformer

from observatoire.territoires.models import Commune

L93_TO_WGS84 = Transformer.from_crs(2154, 4326, always_xy=True)
L93_TO_LAEA = Transformer.from_crs(2154, 3035, always_xy=True)
CENTRES = {"13055": (5.3745, 43.2965), "13001": (5.4474, 43.5263)}  # lon, lat of the real centres
HUBS = ["13055", "13001", "13056", "13005", "13103", "13047", "13028", "13117", "13054", "13063"]
# (prefix, route_type, lines, length km, stop spacing m, headway min, minutes between stops)
URBAN = {
    "13055": [("M", 1, 2, 10, 550, 5, 1.5), ("T", 0, 3, 7, 450, 8, 2), ("B", 3, 12, 9, 450, 12, 2.5)],
    "13001": [("A", 3, 6, 7, 400, 15, 2.5)],
}
OTHER_HUB = [("U", 3, 2, 5, 400, 30, 2.5)]
TYPE_COLOURS = {1: "E2001A", 0: "0072BC", 3: "5A7D2A"}
START, END = datetime.date(2025, 1, 6), datetime.date(2025, 7, 6)
WINTER_BREAK = [START + datetime.timedelta(n) for n in range(42, 54)]  # 17–28 February 2025


def load_communes():
    """{insee: (nom, population, shapely polygon in Lambert-93, centre in Lambert-93)}."""
    to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)
    communes = {}
    for commune in Commune.objects.filter(epci__isnull=False).order_by("insee"):
        geom = shapely.from_wkb(bytes(commune.geom.wkb))
        shapely.prepare(geom)
        if commune.insee in CENTRES:
            centre = shapely.Point(to_l93.transform(*CENTRES[commune.insee]))
        else:
            centre = geom.point_on_surface()
        communes[commune.insee] = (commune.nom, commune.population or 0, geom, centre)
    return communes


def _points_along(path, spacing):
    return [path.interpolate(d) for d in np.arange(0, path.length + 1, spacing)]


def _urban_paths(rng, insee, geom, centre, spec):
    prefix, route_type, count, length_km, spacing, headway, minutes = spec
    for n in range(count):
        angle = math.pi * (n / count + rng.uniform(-0.08, 0.08))
        dx, dy = math.cos(angle) * length_km * 500, math.sin(angle) * length_km * 500
        offset = rng.uniform(-300, 300) * (n % 3)
        ox, oy = centre.x + offset * -math.sin(angle), centre.y + offset * math.cos(angle)
        path = shapely.LineString([(ox - dx, oy - dy), (ox + dx, oy + dy)])
        stops = [p for p in _points_along(path, spacing) if geom.contains(p)]
        if len(stops) >= 2:
            yield f"{prefix}{n + 1}", route_type, stops, headway, minutes


def _intercity_paths(communes):
    """Each commune that is not a hub joins its nearest hub; lines of three communes each."""
    groups = {}
    for insee, (_, _, _, centre) in communes.items():
        if insee in HUBS:
            continue
        hub = min((h for h in HUBS if h in communes), key=lambda h: communes[h][3].distance(centre))
        groups.setdefault(hub, []).append(insee)
    number = 0
    for hub, members in sorted(groups.items()):
        origin = communes[hub][3]
        members.sort(key=lambda i: math.atan2(communes[i][3].y - origin.y, communes[i][3].x - origin.x))
        for k in range(0, len(members), 3):
            number += 1
            chain = [origin] + [communes[i][3] for i in members[k : k + 3]]
            path = shapely.LineString([(p.x, p.y) for p in chain])
            # Every other line runs every two hours: its stops stay under the "well served" threshold.
            yield f"{number + 100}", 3, _points_along(path, 900), 60 * (1 + number % 2), 1.5


def network(communes, seed=2025):
    """[(route_short_name, route_type, [stop points in Lambert-93], headway, minutes between stops)]."""
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    lines = []
    for insee in HUBS:
        if insee not in communes:
            continue
        _, _, geom, centre = communes[insee]
        for spec in URBAN.get(insee, OTHER_HUB):
            prefix = spec[0] if insee in URBAN else f"{communes[insee][0][:4].upper()}-"
            lines.extend(_urban_paths(rng, insee, geom, centre, (prefix, *spec[1:])))
    lines.extend(_intercity_paths(communes))
    return lines


def _hms(minutes):
    minutes = round(minutes)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _table(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_gtfs(path, communes):
    lines = network(communes)
    stops, routes, trips, times = (
        [["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"]],
        [],
        [],
        [],
    )
    routes.append(["route_id", "agency_id", "route_short_name", "route_long_name", "route_type",
                   "route_color",
                   "route_text_color"])  # fmt: skip
    trips.append(["route_id", "service_id", "trip_id", "direction_id"])
    times.append(["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"])
    for short, route_type, points, headway, minutes in lines:
        route_id = f"R{short}"
        lonlat = [L93_TO_WGS84.transform(p.x, p.y) for p in points]
        ids = [f"{short}-{k:02d}" for k in range(len(points))]
        first = _commune_name(communes, points[0])
        last = _commune_name(communes, points[-1])
        for stop_id, (lon, lat), point in zip(ids, lonlat, points, strict=True):
            stops.append(
                [stop_id, f"{_commune_name(communes, point)} – {stop_id}", f"{lat:.6f}", f"{lon:.6f}", "0"]
            )
        routes.append(
            [route_id, "DEMO", short, f"{first} – {last}", route_type, TYPE_COLOURS[route_type], "FFFFFF"]
        )
        last_start = 24 * 60 + 30 if route_type == 1 else 21 * 60 + 30  # the métro runs past midnight
        services = [("SEM", headway)] + ([("VAC", headway * 1.6)] if route_type == 1 else [])
        for service, every in services:
            for direction in (0, 1):
                order = ids if direction == 0 else ids[::-1]
                start, n = 5 * 60 + 30, 0
                while start <= last_start:
                    trip_id = f"{route_id}-{service}-{direction}-{n:03d}"
                    trips.append([route_id, service, trip_id, direction])
                    for seq, stop_id in enumerate(order):
                        at = _hms(start + seq * minutes)
                        times.append([trip_id, at, at, stop_id, seq + 1])
                    start, n = start + every, n + 1
    ymd = "%Y%m%d"
    calendar = [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "start_date", "end_date"],
                ["SEM", 1, 1, 1, 1, 1, 0, 0, START.strftime(ymd), END.strftime(ymd)]]  # fmt: skip
    calendar_dates = [["service_id", "date", "exception_type"]]
    for day in WINTER_BREAK:
        if day.weekday() < 5:
            calendar_dates += [["SEM", day.strftime(ymd), 2], ["VAC", day.strftime(ymd), 1]]
    calendar_dates.append(["SEM", "20250421", 2])  # Easter Monday
    files = {
        "agency.txt": [["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
                       ["DEMO", "Réseau métropolitain (démonstration)", "https://example.org/",
                        "Europe/Paris", "fr"]],
        "stops.txt": stops, "routes.txt": routes, "trips.txt": trips, "stop_times.txt": times,
        "calendar.txt": calendar, "calendar_dates.txt": calendar_dates,
    }  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            archive.writestr(name, _table(rows))
    return path


def _commune_name(communes, point):
    for nom, _, geom, _ in communes.values():
        if geom.contains(point):
            return nom
    return "Hors territoire"


def _laea(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(L93_TO_LAEA.transform(xy[:, 0], xy[:, 1])))


def commune_cells(geom, centre, population, rng):
    """[(x, y of the lower-left corner in EPSG:3035, inhabitants)] summing to ``population``."""
    polygon, centre = _laea(geom), _laea(centre)
    xmin, ymin, xmax, ymax = polygon.bounds
    xs = np.arange(math.floor(xmin / 200) * 200, xmax, 200)
    ys = np.arange(math.floor(ymin / 200) * 200, ymax, 200)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    inside = shapely.contains_xy(polygon, gx + 100, gy + 100)
    gx, gy = gx[inside], gy[inside]
    if not len(gx) or not population:
        return []
    scale = max(600.0, math.sqrt(polygon.area) / 5)
    distance = np.hypot(gx + 100 - centre.x, gy + 100 - centre.y)
    weights = np.exp(-distance / scale) * np.array([rng.uniform(0.3, 1.7) for _ in gx])
    expected = population * weights / weights.sum()
    counts = np.floor(expected).astype(int)
    for i in np.argsort(counts - expected)[: population - counts.sum()]:  # largest remainders
        counts[i] += 1
    return [(int(x), int(y), int(n)) for x, y, n in zip(gx, gy, counts, strict=True) if n > 0]


def write_cells(path, communes, seed=2019):
    rng = random.Random(seed)  # noqa: S311 - seeded demo data
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        ["Idcar_200m", "I_est_200", "Idcar_1km", "I_est_1km", "Idcar_nat", "Groupe", "Ind", "Men"]
    )
    for insee, (_, population, geom, centre) in communes.items():
        for x, y, ind in commune_cells(geom, centre, population, rng):
            km = f"CRS3035RES1000mN{y // 1000 * 1000}E{x // 1000 * 1000}"
            nat = f"CRS3035RES2000mN{y // 2000 * 2000}E{x // 2000 * 2000}"
            writer.writerow([f"CRS3035RES200mN{y}E{x}", 0, km, 0, nat, insee, ind, round(ind / 2.2, 1)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
