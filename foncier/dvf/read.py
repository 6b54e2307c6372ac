"""Reading a DVF géolocalisées file: every row validated, those of the territory kept, typed.

The file is streamed in blocks by pyarrow's CSV reader (a national file has 20 million rows) and
checked with vectorised expressions; an error names the line and the column, as a person would
find it in a spreadsheet (line 1 is the header).
"""

import contextlib
import csv
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors, no_progress
from observatoire.imports.files import field_count_error, no_rows, open_text

from .columns import HEADER, NUMBERS, TYPES_LOCAL, USED

BLOCK = 4 << 20
COMMUNE = r"^(\d{5}|2[AB]\d{3})$"
UNSIGNED = r"^(\d+(\.\d*)?)?$"
SIGNED = r"^(-?\d+(\.\d*)?)?$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
DECIMALS = [*NUMBERS, "longitude", "latitude"]
TEXT = dict.fromkeys(USED, pa.string())
TYPED = {**TEXT, **dict.fromkeys(DECIMALS, pa.float64()), "date_mutation": pa.date32()}


def read_file(path, codes, arrondissements, progress=no_progress):
    """(pyarrow Table of the territory's rows, Summary), or ImportRejected naming line and column.

    ``codes`` maps official codes (arrondissements included) to commune ids, ``arrondissements``
    Marseille's arrondissement codes to their zone ids. pyarrow first converts numbers and dates
    itself (twice as fast); if a value does not convert, the file is read again as text, checked
    by our patterns, so that the error names its line and column in French.
    """
    try:
        return _read(path, codes, arrondissements, progress, typed=True)
    except pa.ArrowInvalid:
        pass
    try:
        return _read(path, codes, arrondissements, progress, typed=False)
    except pa.ArrowInvalid as error:  # read as text, what is left is not CSV (e.g. invalid UTF-8)
        raise ImportRejected("Fichier DVF illisible : rien n'a été importé.", [str(error)]) from error


def _read(path, codes, arrondissements, progress, typed):
    summary, errors, bad_shape = Summary(), ErrorList(), []
    size = os.path.getsize(path)
    with open_text(path) as stream:
        raw = stream.buffer
        header = _header(raw.readline())
        if not raw.peek(1):  # pyarrow's « Empty CSV file » would end in a traceback
            raise no_rows()
        reader = pacsv.open_csv(
            raw,
            read_options=pacsv.ReadOptions(
                column_names=header,
                block_size=BLOCK,
                encoding="utf8" if stream.encoding == "utf-8-sig" else stream.encoding,
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: bad_shape.append(row) or "skip"),
            convert_options=pacsv.ConvertOptions(
                include_columns=USED, column_types=TYPED if typed else TEXT, strings_can_be_null=False,
                null_values=[""],
            ),
        )  # fmt: skip
        batch_reader = _Batches(codes, arrondissements, summary, errors, typed)
        with contextlib.suppress(TooManyErrors):
            for batch in reader:
                batch_reader.add(batch)
                progress(summary.read, _estimate(summary.read, raw, size))
    if bad_shape:
        _report_bad_shapes(path, len(header), errors)
    errors.raise_if_any()
    if not summary.read:
        raise no_rows()
    progress(summary.read, summary.read)
    return batch_reader.table(), summary


def _header(line):
    names = next(csv.reader([line.decode("utf-8-sig", errors="replace")]), [])
    names = [name.strip() for name in names]
    missing = [name for name in HEADER if name not in names]
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) : {', '.join(missing)}. "
            f"Ce n'est pas un fichier DVF géolocalisées (Etalab) : colonnes lues {', '.join(names[:45])}.",
            [f"ligne 1 : colonne absente « {name} »" for name in missing],
        )
    return names


# The widths of the columns these values are stored in (foncier.models.dvf.Mutation).
MAX_LENGTHS = {"id_mutation": 32, "nature_mutation": 60, "id_parcelle": 14}


class _Batches:
    """Validates each block as it comes and keeps its rows of the territory, typed."""

    def __init__(self, codes, arrondissements, summary, errors, typed):
        self.typed = typed
        self.known = pa.array(list(codes), pa.string())
        self.commune_ids = pa.array(list(codes.values()), pa.int32())
        zone_ids = [arrondissements.get(code) for code in codes]
        self.zone_ids = pa.array(zone_ids, pa.int32())
        self.types = pa.array(list(TYPES_LOCAL), pa.string())
        self.kinds = pa.array(list(TYPES_LOCAL.values()), pa.int8())
        self.summary, self.errors = summary, errors
        self.kept = []

    def add(self, batch):
        first_line = self.summary.read + 2
        self.summary.read += batch.num_rows
        lines = pa.array(np.arange(first_line, first_line + batch.num_rows, dtype=np.int64))
        code = batch.column("code_commune")
        position = pc.index_in(code, value_set=self.known)
        inside = pc.is_valid(position)
        outside = pc.invert(inside)
        wrong_code = pc.and_(outside, pc.invert(pc.match_substring_regex(code, COMMUNE)))
        all_lines = lines
        self.summary.skipped_outside += pc.sum(pc.and_(outside, pc.invert(wrong_code))).as_py() or 0
        batch = batch.filter(inside)
        lines = lines.filter(inside)
        position = position.filter(inside)
        columns, found = self._typed(batch)
        self._report([("code_commune", wrong_code, "code commune invalide", code)], all_lines)
        self._report(found, lines)
        columns["line"] = lines
        columns["commune_id"] = pc.take(self.commune_ids, position)
        columns["arrondissement_id"] = pc.take(self.zone_ids, position)
        self.kept.append(pa.table(columns))

    def _typed(self, batch):
        """Typed columns of the batch and the problems found: (column, mask of bad rows, reason)."""
        found, columns = [], {}
        for name in ("id_mutation", "nature_mutation"):
            found.append((name, pc.equal(batch.column(name), ""), "valeur manquante", batch.column(name)))
        for name, limit in MAX_LENGTHS.items():  # caught here rather than as a database error
            values = batch.column(name)
            found.append(
                (name, pc.greater(pc.utf8_length(values), limit), f"plus de {limit} caractères", values)
            )
        if self.typed:
            self._converted(batch, found, columns)
        else:
            self._text(batch, found, columns)
        lon, lat = columns["longitude"], columns["latitude"]
        found += [
            (
                "latitude",
                pc.xor(pc.is_null(lon), pc.is_null(lat)),
                "longitude et latitude vont ensemble",
                lat,
            ),
            ("longitude", pc.greater(pc.abs(lon), 180), "longitude hors limites", lon),
            ("latitude", pc.greater(pc.abs(lat), 90), "latitude hors limites", lat),
        ]
        kind = pc.index_in(batch.column("type_local"), value_set=self.types)
        found.append(("type_local", pc.is_null(kind), "type de local inconnu", batch.column("type_local")))
        columns["local"] = pc.take(self.kinds, pc.fill_null(kind, 0))
        for name in ("id_mutation", "numero_disposition", "nature_mutation", "code_commune", "id_parcelle",
                     "numero_volume", "lot1_numero", "code_nature_culture"):  # fmt: skip
            columns[name] = batch.column(name)
        return columns, found

    @staticmethod
    def _converted(batch, found, columns):
        """Numbers and dates converted by pyarrow: what remains is their range."""
        date = batch.column("date_mutation")
        found.append(("date_mutation", pc.is_null(date), "valeur manquante", date))
        columns["date_mutation"] = date
        for name in DECIMALS:
            value = batch.column(name)
            bad = pc.invert(pc.is_finite(value))
            if name in NUMBERS:
                bad = pc.or_(bad, pc.less(value, 0))
            found.append((name, bad, "nombre invalide", value))
            columns[name] = value

    @staticmethod
    def _text(batch, found, columns):
        """Numbers and dates read as text and checked by pattern, to say where and what is wrong."""
        date = batch.column("date_mutation")
        found.append(("date_mutation", pc.equal(date, ""), "valeur manquante", date))
        parsed = pc.strptime(date, format="%Y-%m-%d", unit="s", error_is_null=True)
        same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), date)
        wrong_date = pc.and_(pc.invert(pc.fill_null(same, False)), pc.not_equal(date, ""))
        found.append(("date_mutation", wrong_date, "date invalide (AAAA-MM-JJ)", date))
        columns["date_mutation"] = pc.cast(parsed, pa.date32())
        for name in DECIMALS:
            text = batch.column(name)
            pattern = SIGNED if name in ("longitude", "latitude") else UNSIGNED
            bad = pc.invert(pc.match_substring_regex(text, pattern))
            found.append((name, bad, "nombre invalide", text))
            clean = pc.if_else(pc.or_(bad, pc.equal(text, "")), None, text)
            columns[name] = pc.cast(clean, pa.float64())

    def _report(self, found, lines):
        """Adds the errors in line order (ErrorList stops the reading past its limit)."""
        entries = []
        for column, mask, reason, values in found:
            mask = pc.fill_null(mask, False)
            if not pc.any(mask).as_py():
                continue
            for line, value in zip(
                lines.filter(mask).to_pylist(), values.filter(mask).to_pylist(), strict=True
            ):
                entries.append((line, column, f"{reason} « {value} »."))
        for line, column, reason in sorted(entries)[: self.errors.limit]:
            self.errors.add(line, column, reason)

    def table(self):
        if not self.kept:
            return None
        return pa.concat_tables(self.kept)


def _estimate(rows, raw, size):
    """Total rows, extrapolated from the share of the stored (compressed) file read so far.

    Only ``tell()``: pyarrow reads ahead from the file in another thread, a seek would race it.
    """
    inner = getattr(raw, "fileobj", None) or raw
    try:
        done = inner.tell()
    except (OSError, AttributeError):
        return rows
    return max(rows, round(rows * size / done)) if size and done else rows


def _report_bad_shapes(path, expected, errors):
    """pyarrow does not say where a row with the wrong number of fields is: find it with csv."""
    with open_text(path) as stream, contextlib.suppress(TooManyErrors):
        reader = csv.reader(stream)
        for fields in reader:
            if fields and len(fields) != expected:  # pyarrow skips blank lines too
                errors.add(reader.line_num, None, field_count_error(len(fields), expected))
