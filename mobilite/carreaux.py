"""INSEE gridded population (Filosofi, 200 m cells), as published: ``Idcar_200m`` and ``Ind``.

Millésimes 2017 and later name the cell ``Idcar_200m`` (``idcar_200m`` from 2019) and its communes
``lcog_geo``; 2015 names them ``IdINSPIRE`` and ``Depcom``. The CSV comes zipped, one file per
area (metropole, Martinique, La Réunion): all are read.

The cell id carries its lower-left corner in EPSG:3035 (``CRS3035RES200mN2029800E4252000``:
northing then easting) in metropolitan France. The national file has millions of cells: rows outside the
territory's bounding box are dropped while reading; the rest go through COPY and PostGIS
places each cell's centre in its commune. A file replaces the territory's grid (a new
millésime drops the cells that lost their inhabitants) and upserts on ``Idcar_200m``.
"""

import contextlib
import re
from dataclasses import dataclass, field

from django.db import connection, transaction

from observatoire.imports import files
from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors
from observatoire.imports.recognise import wrong_format
from observatoire.imports.territory import outside_refusal

from . import carreaux_gpkg
from .insee_files import members_to_read, open_member

# Metropolitan cells are in EPSG:3035; Martinique's (CRS5490…) and La Réunion's (CRS2975…) in their
# local projections: never the territory's, they are counted outside, not refused.
IDCAR = re.compile(r"^CRS(\d{4,5})RES200mN(\d+)E(\d+)$")
EUROPE = "3035"
CELL = 200
PROGRESS_EVERY = 20_000


def territory_box_3035():
    """(xmin, ymin, xmax, ymax) of the territory in EPSG:3035, widened by one cell."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM ("
            " SELECT ST_Extent(ST_Transform(geom, 3035)) AS b"
            " FROM territoires_commune WHERE epci_id IS NOT NULL"
            ") e"
        )
        box = cursor.fetchone()
    if box is None or box[0] is None:
        raise ImportRejected("Aucun territoire chargé : importez d'abord les communes (import_territoire).")
    return box[0] - CELL, box[1] - CELL, box[2] + CELL, box[3] + CELL


ID_COLUMNS = ("idcar_200m", "idinspire")  # 2017 and later; 2015 (« IdINSPIRE »)
IND_COLUMNS = ("ind",)
SHOWN_AS = {ID_COLUMNS: "Idcar_200m (IdINSPIRE en 2015)", IND_COLUMNS: "Ind"}
CODE_COLUMNS = ("lcog_geo", "depcom")  # the cell's commune(s): 2017 and later; 2015


@dataclass
class Reading:
    """What the reading of one or several files of a millésime keeps: cells of the box, counts, errors."""

    box: tuple
    cells: list = field(default_factory=list)
    seen: set = field(default_factory=set)
    errors: ErrorList = field(default_factory=ErrorList)
    summary: Summary = field(default_factory=Summary)

    def take(self, line, raw_id, raw_ind, code, columns):
        """Validate one cell (``columns``: the file's names of id and count, for the errors); keep it
        when it lies in the territory's box, else count it outside under its commune when known."""
        self.summary.read += 1
        match = IDCAR.match(raw_id)
        if not match:
            self.errors.add(line, columns[0], f"identifiant de carreau invalide « {raw_id} ».")
            return
        try:
            ind = float(raw_ind.replace(",", "."))
            if not 0 <= ind < 1e6:
                raise ValueError
        except ValueError:
            self.errors.add(line, columns[1], f"nombre d'individus invalide « {raw_ind} ».")
            return
        y, x = int(match[2]), int(match[3])
        xmin, ymin, xmax, ymax = self.box
        if match[1] != EUROPE or not (xmin <= x <= xmax and ymin <= y <= ymax):
            if code:
                self.summary.note_outside(code[:5])
            else:
                self.summary.skipped_outside += 1
            return
        # Only the territory's cells are remembered: the national file has millions of them.
        if raw_id in self.seen:
            self.errors.add(line, columns[0], f"carreau en double « {raw_id} ».")
            return
        self.seen.add(raw_id)
        self.cells.append((raw_id, x, y, ind))


def column_of(header, names, where=""):
    """Index of the first of ``names`` in the header (any case); else the file is another format, or
    incomplete."""
    lowered = [name.lower() for name in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    refusal = wrong_format(header, "import_carreaux_200m")
    if refusal:
        raise refusal
    raise ImportRejected(
        f"{where}Colonne(s) absente(s) : {SHOWN_AS[names]}. Colonnes lues : {', '.join(header)}."
    )


def code_column(header):
    lowered = [name.lower() for name in header]
    return next((lowered.index(name) for name in CODE_COLUMNS if name in lowered), None)


def read_all(path, progress=lambda done, total: None):
    """Read every data file of ``path`` (an archive may hold one per area): (cells, summary).

    CSV files, or GeoPackage layers when the archive (or the file) holds no CSV.
    """
    reading = Reading(territory_box_3035())
    geopackages = carreaux_gpkg.geopackages(path)
    members = [] if geopackages else members_to_read(path)
    with contextlib.suppress(TooManyErrors):
        for source in geopackages:
            carreaux_gpkg.read(source, reading, progress)
        for member in members:
            with open_member(path, member) as stream:
                read(stream, reading, progress, where=member if len(members) > 1 else "")
    reading.errors.raise_if_any()
    return reading.cells, reading.summary


def read(stream, reading, progress, where=""):
    """Validate every row of one CSV into ``reading``; errors name the line and the column."""
    table = files.read_table(stream)
    header = table.header
    id_i = column_of(header, ID_COLUMNS, f"{where} : " if where else "")
    ind_i = column_of(header, IND_COLUMNS, f"{where} : " if where else "")
    code_i = code_column(header)
    columns = (header[id_i], header[ind_i])
    place = f" de {where}" if where else ""
    for line, row in table:
        code = row[code_i].strip() if code_i is not None else ""
        reading.take(f"{line}{place}", row[id_i].strip(), row[ind_i].strip(), code, columns)
        if reading.summary.read % PROGRESS_EVERY == 0:
            progress(reading.summary.read, 0)


def write(cells, summary):
    """COPY, place each centre in its commune, upsert and drop the cells absent from the file."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS carreaux_import;"
            "CREATE TEMP TABLE carreaux_import (idcar text, x double precision, y double precision,"
            " population double precision) ON COMMIT DROP"
        )
        with cursor.copy("COPY carreaux_import (idcar, x, y, population) FROM STDIN") as copy:
            for cell in cells:
                copy.write_row(cell)
        cursor.execute(
            f"""
            DROP TABLE IF EXISTS carreaux_situes;
            CREATE TEMP TABLE carreaux_situes ON COMMIT DROP AS
            SELECT DISTINCT ON (i.idcar) i.idcar, i.population, c.id AS commune_id, p.centre
            FROM carreaux_import i
            CROSS JOIN LATERAL (
                SELECT ST_Transform(ST_SetSRID(ST_MakePoint(i.x + {CELL / 2}, i.y + {CELL / 2}), 3035), 2154)
                       AS centre
            ) p
            JOIN territoires_commune c ON c.epci_id IS NOT NULL AND ST_Intersects(c.geom, p.centre)
            ORDER BY i.idcar, c.id
            """  # noqa: S608 - CELL is a constant
        )
        cursor.execute("SELECT count(*) FROM carreaux_situes")
        located = cursor.fetchone()[0]
        summary.skipped_outside += len(cells) - located
        cursor.execute("SELECT count(*) FROM carreaux_situes JOIN mobilite_carreau USING (idcar)")
        summary.updated = cursor.fetchone()[0]
        summary.inserted = located - summary.updated
        if not located:
            raise _nothing_located(summary)
        cursor.execute(
            """
            INSERT INTO mobilite_carreau (idcar, commune_id, population, centre)
            SELECT idcar, commune_id, population, centre FROM carreaux_situes
            ON CONFLICT (idcar) DO UPDATE
            SET commune_id = EXCLUDED.commune_id, population = EXCLUDED.population, centre = EXCLUDED.centre
            """
        )
        cursor.execute(
            "DELETE FROM mobilite_carreau m"
            " WHERE NOT EXISTS (SELECT 1 FROM carreaux_situes s WHERE s.idcar = m.idcar)"
        )
        summary.details = {"carreaux_retires": cursor.rowcount}
    return summary


def _nothing_located(summary):
    if summary.outside:
        return outside_refusal(summary)  # the file's communes are known: name them
    return ImportRejected(
        "Aucun carreau du fichier n'est dans le territoire du portail : rien n'a été importé. Vérifiez "
        "qu'il s'agit du fichier de la France métropolitaine (pas celui de La Réunion ou de la Martinique) "
        "ou de son extrait pour le territoire.",
        [f"{summary.skipped_outside} carreau(x) hors du territoire sur {summary.read} lu(s)."],
    )
