"""GTFS static feed (zip) → the network's stops, lines and passages on the typical weekday.

stop_times.txt can hold millions of rows: it is streamed once and aggregated on the fly
(passages per stop, lines per stop, the stop sequence of one trip per line and direction),
never stored row by row. Stops outside the territory are dropped after the spatial test in
PostGIS and counted, and so are the lines that serve none of its stops; a feed with no stop in
the territory is refused. A feed replaces the previous one of the same network (same agencies).

Feeds are read as French networks publish them on transport.data.gouv.fr: files at the root or in a
folder, UTF-8 with or without BOM, CRLF, quoted fields, blank lines, optional files and columns,
calendar_dates.txt alone, hours past 24:00:00, stations and entrances (location_type 1–4) beside
the stops where passengers board.
"""

import contextlib
import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.gis.geos import LineString, MultiLineString, Point

from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors
from observatoire.imports.files import CsvTable, chosen_member, detect_encoding, open_text
from observatoire.imports.recognise import wrong_format

from .calendrier import WEEKDAYS, parse_date, typical_weekday
from .models import Arret, Ligne, Reseau
from .stops_location import stops_in_territory, where_stops_are

REQUIRED = {
    "agency.txt": ["agency_name"],
    "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon"],
    "routes.txt": ["route_id", "route_type"],
    "trips.txt": ["route_id", "service_id", "trip_id"],
    "stop_times.txt": ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
}
CALENDAR = ["service_id", *WEEKDAYS, "start_date", "end_date"]
CALENDAR_DATES = ["service_id", "date", "exception_type"]
# Hours may pass 24: a trip leaving at 00:30 the next morning belongs to the previous service day.
TIME = re.compile(r"^\d{1,3}:[0-5]\d:[0-5]\d$")
COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")
PROGRESS_EVERY = 50_000


class GtfsErrors(ErrorList):
    def at(self, name, line, column, reason):
        self.add(f"{line} de {name}", column, reason)


@dataclass
class Feed:
    """What one reading pass keeps of a feed: small tables in full, stop_times aggregated."""

    agencies: list = field(default_factory=list)
    stops: dict = field(default_factory=dict)  # stop_id → [name, lon, lat]
    not_boarding: dict = field(default_factory=dict)  # stop_id → location_type 1 to 4
    routes: dict = field(default_factory=dict)  # route_id → dict of attributes
    trips: dict = field(default_factory=dict)  # trip_id → (route_id, service_id)
    representative: dict = field(default_factory=dict)  # trip_id → [(sequence, stop_id)]
    calendar: dict = field(default_factory=dict)
    exceptions: dict = field(default_factory=lambda: defaultdict(dict))
    day: object = None
    active: set = field(default_factory=set)
    departures: dict = field(default_factory=dict)  # trip_id → departures per day (frequencies.txt)
    passages: Counter = field(default_factory=Counter)
    stop_routes: dict = field(default_factory=lambda: defaultdict(set))
    route_trips: Counter = field(default_factory=Counter)
    route_stops: dict = field(default_factory=lambda: defaultdict(set))  # every trip, any day
    validity: tuple = (None, None)
    warnings: list = field(default_factory=list)
    rows: int = 0

    def period(self):
        """(start, end) of validity: calendar.txt, else the dates calendar_dates.txt adds, else feed_info."""
        starts = [start for _, start, _ in self.calendar.values()]
        ends = [end for _, _, end in self.calendar.values()]
        if not starts:
            starts = ends = [day for day, services in self.exceptions.items() if 1 in services.values()]
        if not starts:
            return self.validity
        return min(starts), max(ends)


class GtfsArchive:
    """The zip's members by base name: at the root or in a folder, as publishers zip them.

    macOS adds ``__MACOSX/`` and ``._*`` copies of each file (binary resource forks, same names):
    they are not the feed. Two members of one name (two feeds zipped together) are refused.
    """

    def __init__(self, path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise _other_format(path) or ImportRejected(
                "Le fichier n'est pas une archive zip GTFS lisible : rien n'a été importé."
            ) from error
        by_name = defaultdict(list)
        for info in self.zip.infolist():
            base = info.filename.rsplit("/", 1)[-1]
            if info.is_dir() or info.filename.startswith("__MACOSX/") or base.startswith("._") or not base:
                continue
            by_name[base].append(info)
        doubled = sorted(name for name, infos in by_name.items() if len(infos) > 1 and name in REQUIRED)
        if doubled:
            folders = sorted({info.filename.rpartition("/")[0] or "(racine)" for info in by_name[doubled[0]]})
            raise ImportRejected(
                f"L'archive contient plusieurs flux GTFS ({doubled[0]} dans {', '.join(folders)}) : "
                "importez chacun dans sa propre archive. Rien n'a été importé."
            )
        self.members = {name: infos[0] for name, infos in by_name.items()}
        self.encodings = {}

    def __contains__(self, name):
        return name in self.members

    def size(self, name):
        return self.members[name].file_size

    def nested_archives(self):
        return sorted(name for name in self.members if name.lower().endswith(".zip"))

    def encoding(self, name):
        """UTF-8 as the GTFS reference requires; Windows-1252 or Latin-1 when the whole member says so."""
        if name not in self.encodings:
            with chosen_member(self.members[name].filename):
                self.encodings[name] = detect_encoding(self.path, suffixes=(".txt",))
        return self.encodings[name]

    @contextlib.contextmanager
    def table(self, name, required):
        """Yield (columns index, raw stream, the member's ``CsvTable``: (line, fields) after the header).

        A member may hold its header alone (no exceptions in calendar_dates.txt): what is missing
        is told by the checks of the feed as a whole.
        """
        encoding = self.encoding(name)
        with self.zip.open(self.members[name]) as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            try:
                reader = CsvTable(text, csv.excel, where=name, allow_empty=True)
                header = reader.header
                missing = [column for column in required if column not in header]
                if missing:
                    raise wrong_format(header, "import_gtfs") or ImportRejected(
                        f"{name} : colonne(s) absente(s) : {', '.join(missing)}. "
                        f"Colonnes lues : {', '.join(header)}."
                    )
                yield {column: i for i, column in enumerate(header)}, raw, reader
            except zipfile.BadZipFile as error:
                raise ImportRejected(f"{name} : archive corrompue ({error}).") from error


def _other_format(path):
    """The refusal naming the official file ``path`` is (a CSV, or a zip of one), when it is known."""
    try:
        with open_text(path) as stream:
            first = stream.readline()
        header = next(csv.reader([first], delimiter=";" if first.count(";") > first.count(",") else ","), [])
    except (ImportRejected, OSError, csv.Error):
        return None
    return wrong_format(header, "import_gtfs")


def read_feed(path, progress):
    """Validate the whole feed and aggregate it, or raise ImportRejected naming file, line and column."""
    archive = GtfsArchive(path)
    missing = [name for name in REQUIRED if name not in archive]
    if "calendar.txt" not in archive and "calendar_dates.txt" not in archive:
        missing.append("calendar.txt ou calendar_dates.txt")
    if missing and archive.nested_archives():
        raise ImportRejected(
            f"L'archive contient d'autres archives ({', '.join(archive.nested_archives())}) et pas de flux "
            "GTFS à sa racine : importez l'archive GTFS elle-même. Rien n'a été importé."
        )
    if missing:
        raise _other_format(path) or ImportRejected(
            f"Fichier(s) absent(s) de l'archive GTFS : {', '.join(missing)}."
        )
    feed, errors = Feed(), GtfsErrors()
    with contextlib.suppress(TooManyErrors):
        _read_agencies(archive, feed)
        _read_feed_info(archive, feed)
        _read_stops(archive, feed, errors)
        _read_routes(archive, feed, errors)
        _read_trips(archive, feed, errors)
        _read_calendars(archive, feed, errors)
        _read_frequencies(archive, feed, errors)
        errors.raise_if_any()  # stop_times is checked against the tables above
        trips_per_service = Counter(service for _, service in feed.trips.values())
        feed.day, services = typical_weekday(feed.calendar, feed.exceptions, trips_per_service)
        feed.active = {trip for trip, (_, service) in feed.trips.items() if service in services}
        _read_stop_times(archive, feed, errors, progress)
    errors.raise_if_any()
    feed.warnings += [
        f"{name} est encodé en {encoding} et non en UTF-8 comme le veut la norme GTFS : lu comme tel."
        for name, encoding in sorted(archive.encodings.items())
        if encoding != "utf-8-sig"
    ]
    if feed.day is None:
        raise ImportRejected(
            "Aucune course ne circule un jour de semaine dans ce flux : rien n'a été importé."
        )
    return feed


def _cell(row, columns, name, default=""):
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else default


def _read_agencies(archive, feed):
    with archive.table("agency.txt", REQUIRED["agency.txt"]) as (columns, _, reader):
        feed.agencies = sorted({_cell(row, columns, "agency_name") for _, row in reader} - {""})
    if not feed.agencies:
        raise ImportRejected("agency.txt ne nomme aucun réseau (agency_name vide).")


def _read_feed_info(archive, feed):
    """feed_info.txt (optional): the validity period, used when calendar.txt is absent."""
    if "feed_info.txt" not in archive:
        return
    with archive.table("feed_info.txt", []) as (columns, _, reader):
        for _, row in reader:
            with contextlib.suppress(ValueError):
                feed.validity = (
                    parse_date(_cell(row, columns, "feed_start_date")),
                    parse_date(_cell(row, columns, "feed_end_date")),
                )
            break


def _read_stops(archive, feed, errors):
    with archive.table("stops.txt", REQUIRED["stops.txt"]) as (columns, _, reader):
        for line, row in reader:
            feed.rows += 1
            stop_id = _cell(row, columns, "stop_id")
            location_type = _cell(row, columns, "location_type")
            if location_type not in ("", "0"):
                feed.not_boarding[stop_id] = location_type  # stations, entrances, nodes, boarding areas
                continue
            if not stop_id or stop_id in feed.stops:
                errors.at("stops.txt", line, "stop_id", f"identifiant vide ou en double « {stop_id} ».")
                continue
            coords = []
            for column, bound in (("stop_lon", 180), ("stop_lat", 90)):
                raw = _cell(row, columns, column)
                try:
                    value = float(raw)
                    if not -bound <= value <= bound:
                        raise ValueError
                    coords.append(value)
                except ValueError:
                    errors.at("stops.txt", line, column, f"coordonnée invalide « {raw} ».")
            if len(coords) == 2:
                feed.stops[stop_id] = [_cell(row, columns, "stop_name")[:200], *coords]


def _read_routes(archive, feed, errors):
    with archive.table("routes.txt", REQUIRED["routes.txt"]) as (columns, _, reader):
        for line, row in reader:
            feed.rows += 1
            route_id = _cell(row, columns, "route_id")
            if not route_id or route_id in feed.routes:
                errors.at("routes.txt", line, "route_id", f"identifiant vide ou en double « {route_id} ».")
                continue
            raw_type = _cell(row, columns, "route_type")
            if not raw_type.isdigit() or int(raw_type) > 1702:
                errors.at("routes.txt", line, "route_type", f"type de ligne invalide « {raw_type} ».")
                continue
            colours = {}
            for column in ("route_color", "route_text_color"):
                value = _cell(row, columns, column)
                if value and not COLOUR.match(value):
                    errors.at("routes.txt", line, column, f"couleur invalide « {value} » (attendu RRGGBB).")
                colours[column] = value.upper() if COLOUR.match(value) else ""
            feed.routes[route_id] = {
                "nom_court": _cell(row, columns, "route_short_name")[:100],
                "nom_long": _cell(row, columns, "route_long_name")[:300],
                "type": int(raw_type),
                "couleur": colours["route_color"],
                "couleur_texte": colours["route_text_color"],
            }


def _read_trips(archive, feed, errors):
    seen_patterns = set()
    with archive.table("trips.txt", REQUIRED["trips.txt"]) as (columns, _, reader):
        for line, row in reader:
            feed.rows += 1
            trip_id, route_id = _cell(row, columns, "trip_id"), _cell(row, columns, "route_id")
            if not trip_id or trip_id in feed.trips:
                errors.at("trips.txt", line, "trip_id", f"identifiant vide ou en double « {trip_id} ».")
                continue
            if route_id not in feed.routes:
                errors.at("trips.txt", line, "route_id", f"ligne inconnue de routes.txt « {route_id} ».")
                continue
            feed.trips[trip_id] = (route_id, _cell(row, columns, "service_id"))
            # The first trip of each line and direction draws the line on the map.
            pattern = (route_id, _cell(row, columns, "direction_id"))
            if pattern not in seen_patterns:
                seen_patterns.add(pattern)
                feed.representative[trip_id] = []


def _read_calendars(archive, feed, errors):
    if "calendar.txt" in archive:
        with archive.table("calendar.txt", CALENDAR) as (columns, _, reader):
            for line, row in reader:
                flags = []
                for day in WEEKDAYS:
                    value = _cell(row, columns, day)
                    if value not in ("0", "1"):
                        errors.at("calendar.txt", line, day, f"valeur invalide « {value} » (0 ou 1).")
                    flags.append(value == "1")
                dates = []
                for column in ("start_date", "end_date"):
                    try:
                        dates.append(parse_date(_cell(row, columns, column)))
                    except ValueError:
                        errors.at(
                            "calendar.txt",
                            line,
                            column,
                            f"date invalide « {_cell(row, columns, column)} » (AAAAMMJJ).",
                        )
                if len(dates) == 2:
                    feed.calendar[_cell(row, columns, "service_id")] = (tuple(flags), *dates)
    if "calendar_dates.txt" in archive:
        with archive.table("calendar_dates.txt", CALENDAR_DATES) as (columns, _, reader):
            for line, row in reader:
                kind = _cell(row, columns, "exception_type")
                if kind not in ("1", "2"):
                    errors.at(
                        "calendar_dates.txt", line, "exception_type", f"valeur invalide « {kind} » (1 ou 2)."
                    )
                    continue
                try:
                    day = parse_date(_cell(row, columns, "date"))
                except ValueError:
                    errors.at(
                        "calendar_dates.txt",
                        line,
                        "date",
                        f"date invalide « {_cell(row, columns, 'date')} » (AAAAMMJJ).",
                    )
                    continue
                feed.exceptions[day][_cell(row, columns, "service_id")] = int(kind)


def _seconds(text):
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _read_frequencies(archive, feed, errors):
    """frequencies.txt (optional): a trip run every ``headway_secs`` from start_time until end_time.

    Its stop_times give one run; the day has ⌈(end − start) / headway⌉ of them in each period.
    """
    if "frequencies.txt" not in archive:
        return
    name = "frequencies.txt"
    with archive.table(name, ["trip_id", "start_time", "end_time", "headway_secs"]) as (columns, _, reader):
        for line, row in reader:
            trip_id = _cell(row, columns, "trip_id")
            start, end = _cell(row, columns, "start_time"), _cell(row, columns, "end_time")
            headway = _cell(row, columns, "headway_secs")
            if trip_id not in feed.trips:
                errors.at(name, line, "trip_id", f"course inconnue de trips.txt « {trip_id} ».")
                continue
            if not (TIME.match(start) and TIME.match(end)) or not headway.isdigit() or int(headway) == 0:
                errors.at(name, line, "headway_secs", f"période invalide « {start}–{end} / {headway} s ».")
                continue
            runs = -(-max(_seconds(end) - _seconds(start), 0) // int(headway))
            # A trip listed here runs only in these periods: their runs replace the one of stop_times.txt.
            feed.departures[trip_id] = feed.departures.get(trip_id, 0) + runs


def _not_a_stop(feed, stop_id):
    if stop_id in feed.not_boarding:
        return (
            f"« {stop_id} » est de location_type {feed.not_boarding[stop_id]} dans stops.txt (station, "
            "entrée, nœud ou zone d'embarquement) : une course ne dessert que des arrêts (location_type 0 "
            "ou vide)."
        )
    return f"arrêt inconnu de stops.txt « {stop_id} »."


def _read_stop_times(archive, feed, errors, progress):
    total = archive.size("stop_times.txt")
    valid_times = {""}  # timepoint=0 stops may leave times empty
    name = "stop_times.txt"
    with archive.table(name, REQUIRED[name]) as (columns, raw, reader):
        trip_i, stop_i, seq_i = columns["trip_id"], columns["stop_id"], columns["stop_sequence"]
        times_i = (("arrival_time", columns["arrival_time"]), ("departure_time", columns["departure_time"]))
        pickup_i = columns.get("pickup_type")
        trips, stops, active, representative = feed.trips, feed.stops, feed.active, feed.representative
        route_stops, departures = feed.route_stops, feed.departures
        for line, row in reader:
            feed.rows += 1
            trip_id, stop_id = row[trip_i].strip(), row[stop_i].strip()
            if trip_id not in trips:
                errors.at(name, line, "trip_id", f"course inconnue de trips.txt « {trip_id} ».")
            if stop_id not in stops:
                errors.at(name, line, "stop_id", _not_a_stop(feed, stop_id))
            for column, index in times_i:
                value = row[index].strip()
                if value not in valid_times:
                    if not TIME.match(value):
                        errors.at(name, line, column, f"heure invalide « {value} » (HH:MM:SS).")
                        continue
                    valid_times.add(value)
            sequence = row[seq_i].strip()
            if not sequence.isdigit():
                errors.at(name, line, "stop_sequence", f"rang invalide « {sequence} ».")
                continue
            if trip_id in trips:
                route_stops[trips[trip_id][0]].add(stop_id)
            if trip_id in representative:
                representative[trip_id].append((int(sequence), stop_id))
            if trip_id in active and (pickup_i is None or row[pickup_i].strip() != "1"):
                feed.passages[stop_id] += departures.get(trip_id, 1)
                feed.stop_routes[stop_id].add(trips[trip_id][0])
            if line % PROGRESS_EVERY == 0:
                progress(min(raw.tell(), total), total)
    feed.route_trips = Counter()
    for trip in active:
        feed.route_trips[trips[trip][0]] += departures.get(trip, 1)
    progress(total, total)


def _route_geometries(feed, routes):
    """MultiLineString (WGS84) per route from its representative trips' stop sequences."""
    parts = defaultdict(list)
    for trip_id, sequence in feed.representative.items():
        route_id = feed.trips[trip_id][0]
        if route_id not in routes:
            continue
        points = [feed.stops[stop_id][1:] for _, stop_id in sorted(sequence) if stop_id in feed.stops]
        if len(points) >= 2:
            parts[route_id].append(LineString(points, srid=4326))
    return {route: MultiLineString(lines, srid=4326) for route, lines in parts.items()}


def write_feed(feed):
    """Replace the network's previous feed with its stops in the territory and the lines serving them.

    A feed with no stop in the territory is refused, naming where its stops are; one mostly outside
    is imported with a warning. Lines that serve no stop of the territory are left out.
    """
    nom = " / ".join(feed.agencies)[:200]
    located = stops_in_territory(feed.stops)
    if not located:
        raise _elsewhere(feed, nom)
    routes = {route_id for route_id, stops in feed.route_stops.items() if not stops.isdisjoint(located)}
    active = [trip for trip in feed.active if feed.trips[trip][0] in routes]
    courses = sum(feed.departures.get(trip, 1) for trip in active)
    outside_stops = len(feed.stops) - len(located)
    summary = Summary(read=feed.rows, skipped_outside=outside_stops + len(feed.routes) - len(routes))
    summary.warnings += feed.warnings
    if outside_stops > len(located):
        places, _ = where_stops_are(stop for stop_id, stop in feed.stops.items() if stop_id not in located)
        summary.warnings.append(
            f"{outside_stops} arrêts sur {len(feed.stops)} sont hors du territoire ({places}) : ni eux ni "
            f"les {len(feed.routes) - len(routes)} ligne(s) qui ne desservent que ceux-là n'ont été importés."
        )
    geometries = _route_geometries(feed, routes)
    previous = Reseau.objects.filter(nom=nom).first()
    known = set()
    if previous:
        known = set(Arret.objects.filter(reseau=previous).values_list("stop_id", flat=True))
        routes_before = Ligne.objects.filter(reseau=previous).values_list("route_id", flat=True)
        known |= {f"route:{r}" for r in routes_before}
        previous.delete()  # its stops and lines go with it (cascade)
    start, end = feed.period()
    reseau = Reseau.objects.create(nom=nom, jour_type=feed.day, debut=start, fin=end, courses=courses)
    Ligne.objects.bulk_create(
        [
            Ligne(reseau=reseau, route_id=route_id, courses=feed.route_trips[route_id],
                  geom=geometries.get(route_id), **attributes)
            for route_id, attributes in feed.routes.items()
            if route_id in routes
        ],
        batch_size=1000,
    )  # fmt: skip
    short = {route_id: a["nom_court"] or a["nom_long"] or route_id for route_id, a in feed.routes.items()}
    Arret.objects.bulk_create(
        [
            Arret(
                reseau=reseau,
                stop_id=stop_id,
                nom=feed.stops[stop_id][0],
                commune_id=commune_id,
                passages=feed.passages[stop_id],
                lignes=", ".join(sorted(short[r] for r in feed.stop_routes.get(stop_id, ())))[:500],
                geom=Point(*feed.stops[stop_id][1:], srid=4326),
            )
            for stop_id, commune_id in located.items()
        ],
        batch_size=5000,
    )
    kept = [*located, *(f"route:{r}" for r in routes)]
    summary.updated = sum(key in known for key in kept)
    summary.inserted = len(kept) - summary.updated
    summary.details = {
        "reseau": nom,
        "jour_type": feed.day.isoformat(),
        "arrets": len(located),
        "lignes": len(routes),
        "courses_jour_type": courses,
        "passages_jour_type": sum(feed.passages[stop_id] for stop_id in located),
    }
    return summary


def _elsewhere(feed, nom):
    places, extent = where_stops_are(feed.stops.values())
    return ImportRejected(
        f"Aucun arrêt de ce flux GTFS n'est dans le territoire du portail : rien n'a été importé. "
        f"Le réseau « {nom} » ({len(feed.routes)} lignes, {len(feed.stops)} arrêts) dessert "
        f"{places or 'des lieux hors de France'}. Vérifiez qu'il s'agit du réseau du territoire.",
        [extent],
    )
