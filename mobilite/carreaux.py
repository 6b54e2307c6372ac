"""INSEE gridded population (Filosofi, 200 m cells), as published: ``Idcar_200m`` and ``Ind``.

The cell id carries its lower-left corner in EPSG:3035 (``CRS3035RES200mN2029800E4252000``:
northing then easting). The national file has millions of cells: rows outside the
territory's bounding box are dropped while reading; the rest go through COPY and PostGIS
places each cell's centre in its commune. A file replaces the territory's grid (a new
millésime drops the cells that lost their inhabitants) and upserts on ``Idcar_200m``.
"""

import contextlib
import re

from django.db import connection, transaction

from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors
from observatoire.imports.files import stream_table

IDCAR = re.compile(r"^CRS3035RES200mN(\d+)E(\d+)$")
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


def read(stream, progress=lambda done, total: None):
    """Validate every row: ([(idcar, x, y, ind)], summary) or ImportRejected naming line and column."""
    table = stream_table(stream)
    header = table.header
    lowered = [name.lower() for name in header]
    missing = [name for name in ("Idcar_200m", "Ind") if name.lower() not in lowered]
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) : {', '.join(missing)}. Colonnes lues : {', '.join(header)}."
        )
    id_i, ind_i = lowered.index("idcar_200m"), lowered.index("ind")
    xmin, ymin, xmax, ymax = territory_box_3035()
    cells, errors, summary, seen = [], ErrorList(), Summary(), set()
    with contextlib.suppress(TooManyErrors):
        for line, row in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            raw_id = row[id_i].strip()
            match = IDCAR.match(raw_id)
            if not match:
                errors.add(line, header[id_i], f"identifiant de carreau invalide « {raw_id} ».")
                continue
            raw_ind = row[ind_i].strip()
            try:
                ind = float(raw_ind.replace(",", "."))
                if not 0 <= ind < 1e6:
                    raise ValueError
            except ValueError:
                errors.add(line, header[ind_i], f"nombre d'individus invalide « {raw_ind} ».")
                continue
            if raw_id in seen:
                errors.add(line, header[id_i], f"carreau en double « {raw_id} ».")
                continue
            seen.add(raw_id)
            y, x = int(match[1]), int(match[2])
            if not (xmin <= x <= xmax and ymin <= y <= ymax):
                summary.skipped_outside += 1
                continue
            cells.append((raw_id, x, y, ind))
    errors.raise_if_any()
    return cells, summary


def write(cells, summary, dry_run=False):
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
        if dry_run:
            transaction.set_rollback(True)
    return summary
