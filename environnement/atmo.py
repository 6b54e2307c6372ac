"""The daily ATMO index per commune, in the national format the AASQA publish (AtmoSud for the region).

Format: Atmo France's open-data format of the index defined by the arrêté du 10 juillet 2020 (in force
1 January 2021; notice « Atmo Data » and « Guide de calcul de l'indice ATMO »), the same attributes in
every AASQA's flow: ``date_ech`` (day the index is for), ``code_qual`` (0 absent, 1 bon … 6 extrêmement
mauvais, 7 événement), ``lib_qual``, ``coul_qual``, ``date_dif`` (diffusion), ``source`` (« AtmoSud »…),
``type_zone`` (« commune » or « EPCI »), ``code_zone`` (INSEE code, SIREN for an EPCI), ``lib_zone``,
sub-indices ``code_no2``, ``code_so2``, ``code_o3``, ``code_pm10``, ``code_pm25`` (empty when not
published), then coordinates ``x_wgs84``, ``y_wgs84``, ``x_reg``, ``y_reg``, ``epsg_reg`` (ignored).

Read as exported: CSV with ``,`` or ``;`` (ArcGIS Hub, GeoServer WFS ``outputFormat=csv``, Atmo Data),
GeoJSON FeatureCollection whose properties carry the attributes (geometry ignored) or an ArcGIS REST
answer (``f=json``, ``attributes``), either zipped. The former index (1–10 per agglomeration, arrêté
du 22 juillet 2004, published until 2020: ``date_ech, valeur…``) is refused saying so.
``date_ech`` comes as a date (``2024-01-15``, ``15/01/2024``), a datetime with or without offset
(``2024-01-15T00:00:00+01:00``, ``2024/01/15 00:00:00+00``, ``2024-01-14T23:00:00Z``: the day in
Europe/Paris is kept), ArcGIS Hub's ``1/15/2024 12:00:00 AM`` or an ArcGIS epoch in milliseconds.
When a file holds several diffusions of one day (the forecast, then the day's index), the latest
``date_dif`` wins. AtmoSud publishes Marseille by arrondissement (13201–13216): the commune gets the
worst class of its arrondissements, each sub-index too, unless the file has a 13055 row, which wins.
Rows of EPCI zones are counted and left aside. A region's year is ~350 000 rows: the needed columns
only are read and the rows reach PostgreSQL by COPY, then one INSERT … ON CONFLICT.
"""

import contextlib
import csv
import functools
import json
import re
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import ByCommune, insee_code, territory_codes
from observatoire.imports.files import dialect_of, field_count_error, no_rows, open_binary, open_text
from observatoire.imports.recognise import header_name, missing_columns
from observatoire.imports.territory import outside_refusal

from .enums import QualiteAir
from .models import IndiceAtmo
from .tasks import schedule_recompute

PARIS = ZoneInfo("Europe/Paris")
SUFFIXES = (".csv", ".txt", ".geojson", ".json")
SUB_INDICES = ("code_no2", "code_o3", "code_pm10", "code_pm25", "code_so2")
REQUIRED = ("date_ech", "code_qual", "code_zone")
PROGRESS_EVERY = 20_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DATE_ONLY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:Z|[+-]\d\d:?\d\d)?$")
FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$")
ISO_DATETIME = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d\d(?::?\d\d)?)?$"
)
US_DATETIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$", re.IGNORECASE)
COMMUNE_TYPES = {"commune", "com"}
COLUMNS = ("date_ech", "date_dif", "code_qual", "lib_qual", "type_zone", "code_zone", "source", *SUB_INDICES)


def local_day(raw):
    """The day an index is for, from ``date_ech`` as the producers write it; ValueError otherwise."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _from_epoch_ms(raw)
    text = str(raw or "").strip()
    if not text:
        raise ValueError(raw)
    if text.isdigit() and len(text) >= 11:
        return _from_epoch_ms(int(text))
    if match := DATE_ONLY.match(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := FRENCH_DATE.match(text):
        return date(int(match[3]), int(match[2]), int(match[1]))
    if match := ISO_DATETIME.match(text):
        year, month, day, hour, minute = (int(match[i]) for i in range(1, 6))
        moment = datetime(year, month, day, hour, minute, int(match[6] or 0))
        return _local(moment, match[7])
    if match := US_DATETIME.match(text):
        month, day, year, hour, minute, second = (int(match[i]) for i in range(1, 7))
        hour = hour % 12 + (12 if match[7].upper() == "PM" else 0)
        return datetime(year, month, day, hour, minute, second).date()
    raise ValueError(raw)


def _local(moment, offset):
    """The Paris day of a datetime: naive is already local; an offset (``Z``, ``+00``, ``+0100``) converts."""
    if not offset:
        return moment.date()
    if offset == "Z":
        delta = timedelta(0)
    else:
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        delta = -delta if offset[0] == "-" else delta
    return (moment - delta).replace(tzinfo=UTC).astimezone(PARIS).date()


def _from_epoch_ms(value):
    return (EPOCH + timedelta(milliseconds=int(value))).astimezone(PARIS).date()


def _text(raw):
    """``date_dif`` as a comparable text (the latest diffusion of a day wins); None when absent."""
    return None if raw is None or raw == "" else str(raw).strip()


# Cells as written → class: the fast path of ~2 million cells a year in a region's file.
CLASSES = {**{str(n): n for n in range(8)}, **{f"{n}.0": n for n in range(8)}, **{n: n for n in range(8)}}


def _class(raw, *, required):
    """A class 0–7 from a cell (``2``, ``2.0``, ``"2"``); None when empty and allowed."""
    found = CLASSES.get(raw)
    if found is not None:
        return found
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise ValueError("vide")
        return None
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError as error:
        raise ValueError(raw) from error
    if value != int(value) or not 0 <= value <= 7:
        raise ValueError(raw)
    return int(value)


class Reader:
    """Validates every record of the file and keeps one per (commune, day).

    ``add`` takes the cells in the order of ``COLUMNS`` (None or "" for a column the file lacks).
    """

    def __init__(self, progress):
        self.progress = progress
        self.codes, self.own = territory_codes()
        self.summary = Summary()
        self.errors = ErrorList()
        self.days = {}  # raw date_ech → date (a region's year has 365 distinct values)
        self.records = {}  # ((commune id, day), code as published) → record
        self.zones = {}  # type_zone other than commune → rows
        self.duplicates = 0
        self.sources = set()
        self.labels = {}

    def add(self, line, cells):
        date_ech, date_dif, code_qual, lib_qual, kind, code, source, *subs = cells
        summary = self.summary
        summary.read += 1
        if summary.read % PROGRESS_EVERY == 0:
            self.progress(summary.read, 0)
        if kind and kind not in COMMUNE_TYPES and str(kind).strip().lower() not in COMMUNE_TYPES:
            kind = str(kind).strip()
            self.zones[kind] = self.zones.get(kind, 0) + 1
            return
        written, code = code, insee_code(code)
        if code is None:
            written = str(written or "").strip()
            self.errors.add(line, "code_zone", f"code commune INSEE invalide « {written} ».")
            return
        day = self._day(line, date_ech)
        try:
            qual = _class(code_qual, required=True)
        except ValueError as error:
            self.errors.add(
                line, "code_qual", f"indice « {error} » hors de l'échelle 0 à 7 de l'indice ATMO."
            )
            return
        try:
            subs = [None if cell == "" else _class(cell, required=False) for cell in subs]
        except ValueError:
            self._sub_error(line, subs)
            return
        if day is None:
            return
        commune = self.codes.get(code)
        if commune is None:
            summary.note_outside(code)
            return
        self.sources.add(source)
        record = (
            qual,
            self._label(lib_qual, qual),
            *subs,
            str(source or "").strip()[:120],
            _text(date_dif),
            line,
        )
        self._keep(((commune, day), code), record)

    def _label(self, raw, qual):
        key = (raw, qual)
        if key not in self.labels:
            self.labels[key] = (str(raw or "").strip() or QualiteAir(qual).label)[:40]
        return self.labels[key]

    def _sub_error(self, line, cells):
        for column, cell in zip(SUB_INDICES, cells, strict=True):
            try:
                _class(cell, required=False)
            except ValueError as error:
                self.errors.add(line, column, f"sous-indice « {error} » hors de l'échelle 0 à 7.")
                return

    def _day(self, line, raw):
        key = raw if isinstance(raw, str) else repr(raw)
        if key not in self.days:
            try:
                self.days[key] = local_day(raw)
            except (ValueError, OverflowError):
                self.days[key] = None
        day = self.days[key]
        if day is None:
            self.errors.add(
                line,
                "date_ech",
                f"date « {raw} » illisible (attendu 2024-01-15, 2024-01-15T00:00:00+01:00…).",
            )
        return day

    def _keep(self, key, record):
        """One record per zone and day: the latest diffusion (``date_dif``), else the later line."""
        store = self.records
        if key in store:
            self.duplicates += 1
            if (record[-2] or "") < (store[key][-2] or ""):
                return
        store[key] = record

    def rows(self):
        """(commune id, day, record) with Marseille's arrondissements merged when its own row is absent."""
        by_commune, own = ByCommune(worst), self.own
        for (key, code), record in self.records.items():
            by_commune.add(key, record, arrondissement=code not in own)
        self.summary.details["arrondissements_ignores"] = by_commune.ignored_parts
        return [(*key, record) for key, record in by_commune.items()]


def worst(records):
    """The day of a commune from its arrondissements': the worst class 1–6 (7 or 0 when no class is known)."""
    quals = [r[0] for r in records]
    known = [q for q in quals if 1 <= q <= 6]
    qual = max(known) if known else (QualiteAir.EVENEMENT if QualiteAir.EVENEMENT in quals else 0)
    label = next((r[1] for r in records if r[0] == qual), QualiteAir(qual).label)
    subs = []
    for position in range(2, 2 + len(SUB_INDICES)):
        values = [r[position] for r in records if r[position] is not None]
        subs.append(max(values) if values else None)
    return (int(qual), label, *subs, records[0][-3], None, records[0][-1])


def read_csv(stream, reader):
    first = stream.readline()
    dialect = dialect_of(first)
    header = [header_name(name) for name in next(csv.reader([first], dialect))]
    check_header(header)
    # Cells in the order of COLUMNS; a column the file lacks reads the "" appended to each row.
    cells = itemgetter(*(header.index(name) if name in header else -1 for name in COLUMNS))
    width = len(header)
    rows = csv.reader(stream, dialect)
    line = 1
    try:
        for fields in rows:
            line = rows.line_num + 1
            if len(fields) != width:
                if not fields:
                    continue
                reader.errors.add(line, None, field_count_error(len(fields), width))
                continue
            fields.append("")
            reader.add(line, cells(fields))
    except csv.Error as error:
        raise ImportRejected(
            "Fichier CSV mal formé : rien n'a été importé.", [f"ligne {line + 1} : {error}."]
        ) from error
    if not reader.summary.read:
        raise no_rows()


def read_geojson(stream, reader):
    try:
        document = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportRejected(f"GeoJSON illisible ({error}) : rien n'a été importé.") from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ImportRejected(
            "Ce fichier JSON n'est pas une FeatureCollection GeoJSON (liste « features » absente) : "
            "rien n'a été importé."
        )
    if not features:
        raise ImportRejected("La FeatureCollection ne contient aucun objet : rien n'a été importé.")
    header = sorted({key.lower() for feature in features[:50] for key in _properties(feature)})
    check_header(header)
    for number, feature in enumerate(features, start=1):
        properties = {key.lower(): value for key, value in _properties(feature).items()}
        reader.add(f"{number} (objet GeoJSON)", tuple(properties.get(name) for name in COLUMNS))


def _properties(feature):
    """A GeoJSON feature's properties, or an ArcGIS REST answer's (``f=json``) attributes."""
    if not isinstance(feature, dict):
        return {}
    return feature.get("properties") or feature.get("attributes") or {}


def check_header(header):
    missing = [name for name in REQUIRED if name not in header]
    if missing and "date_ech" in header and "valeur" in header:
        raise ImportRejected(
            "Ce fichier est l'ancien indice ATMO (échelle de 1 à 10 par agglomération, arrêté du 22 juillet "
            "2004, publié jusqu'en 2020) : il ne se compare pas à l'indice communal de 2021 (6 classes) et "
            "n'est pas repris. Importez l'indice ATMO au format de 2021 (code_qual, code_zone). "
            "Rien n'a été importé."
        )
    if missing:
        raise missing_columns(
            header,
            missing,
            "import_indice_atmo",
            "Le fichier attendu est l'indice ATMO au format national (arrêté du 10 juillet 2020) : "
            "date_ech, code_qual, lib_qual, type_zone, code_zone, code_no2…",
        )


def is_json(path):
    with open_binary(path, SUFFIXES) as stream:
        head = stream.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"{", b"["))


COPY_BATCH = 20_000


@functools.cache
def _copy_cell(value):
    """A cell of COPY's text format: ``\\N`` for None, tabs, newlines and backslashes escaped."""
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_line(row):
    commune_id, day, record = row
    return "\t".join([str(commune_id), _copy_cell(day), *(_copy_cell(cell) for cell in record[:-2])]) + "\n"


def write(rows, summary):
    """COPY into a temporary table, count what exists, then one INSERT … ON CONFLICT DO UPDATE."""
    table = IndiceAtmo._meta.db_table
    columns = ["commune_id", "date_ech", "code_qual", "lib_qual", *SUB_INDICES, "source"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE atmo_load (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
        cursor.execute("ALTER TABLE atmo_load DROP COLUMN id, DROP COLUMN updated_at")
        raw = cursor.cursor
        with raw.copy(f"COPY atmo_load ({', '.join(columns)}) FROM STDIN") as copy:
            for start in range(0, len(rows), COPY_BATCH):
                copy.write("".join(copy_line(row) for row in rows[start : start + COPY_BATCH]))
        cursor.execute("SELECT count(*) FROM atmo_load")
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM atmo_load JOIN {table} USING (commune_id, date_ech)")  # noqa: S608
        summary.updated = cursor.fetchone()[0]
        summary.inserted = total - summary.updated
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in columns[2:])
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, updated_at) "  # noqa: S608 - code only
            f"SELECT {', '.join(columns)}, now() FROM atmo_load "
            f"ON CONFLICT (commune_id, date_ech) DO UPDATE SET {updates}, updated_at = now() "
            # a day re-imported as it was is not rewritten
            f"WHERE ({', '.join(f'{table}.{name}' for name in columns[2:])}) "
            f"IS DISTINCT FROM ({', '.join(f'EXCLUDED.{name}' for name in columns[2:])})"
        )
        cursor.execute("DROP TABLE atmo_load")
    if total:
        transaction.on_commit(schedule_recompute)
    return total


def import_file(path, progress=no_progress):
    reader = Reader(progress)
    with contextlib.suppress(TooManyErrors):
        if is_json(path):
            with open_text(path, SUFFIXES, encoding="utf-8-sig") as stream:
                read_geojson(stream, reader)
        else:
            with open_text(path, SUFFIXES) as stream:
                read_csv(stream, reader)
    reader.errors.raise_if_any()
    summary = reader.summary
    rows = reader.rows()
    if not rows:
        if summary.outside:
            raise outside_refusal(summary)
        raise ImportRejected(
            "Aucune ligne d'indice communal (type_zone « commune ») dans le fichier : rien n'a été importé.",
            [f"Zones lues : {', '.join(f'{kind} ({n})' for kind, n in sorted(reader.zones.items()))}."],
        )
    with transaction.atomic():
        write(rows, summary)
    days = [day for _, day, _ in rows]
    summary.details.update(
        {
            "zones_non_communales_ignorees": dict(sorted(reader.zones.items())),
            "doublons_de_diffusion": reader.duplicates,
            "sources": sorted(source for source in reader.sources if source),
            **({"du": min(days).isoformat(), "au": max(days).isoformat()} if days else {}),
        }
    )
    if reader.zones:
        ignored = sum(reader.zones.values())
        summary.warnings.append(
            f"{ignored} ligne(s) de zones non communales ({', '.join(sorted(reader.zones))}) laissées "
            "de côté : le portail garde l'indice de chaque commune."
        )
    progress(summary.read, summary.read)
    return summary


@register
class IndiceAtmoImporter(Importer):
    kind = "indice_atmo"
    label = "Indice ATMO quotidien par commune (AASQA, format national : AtmoSud…)"
    extensions = (".csv", ".txt", ".geojson", ".json", ".zip", ".csv.gz")
    observatoire = "environnement"

    def run(self, path, *, progress=no_progress):
        return import_file(path, progress)
