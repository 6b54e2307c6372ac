"""Reading a DVF géolocalisées file: every row validated, those of the territory kept, typed.

The file is streamed by pyarrow's CSV reader (a national file has 20 million rows) and checked with
vectorised expressions; an error names the line and the column, as a person would find it in a
spreadsheet (line 1 is the header). The rows come out in blocks of whole mutations (Etalab writes
the rows of a mutation one after the other), so that each block is aggregated and written before
the next is read: the memory used does not grow with the file.
"""

import contextlib
import csv
import gzip
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from observatoire.imports.base import ErrorList, ImportRejected, TooManyErrors
from observatoire.imports.files import field_count_error, no_rows, open_binary, open_text
from observatoire.imports.recognise import wrong_format

from .columns import NUMBERS, TYPES_LOCAL, USED

# Bytes of CSV parsed at a time. Larger blocks parsed no faster and held more at the peak (the
# reader's threads keep several blocks and their buffers in flight): 4 MB, +100 MB; 1 MB, +30 MB.
BLOCK = 512 << 10
# Rows of the territory gathered before a block is aggregated: large enough that numpy's per-call
# costs vanish, small enough to bound the memory (three blocks in flight: read, aggregated, sent).
# For 2 M rows, 30 000 peaked at 330 MB for the process (250 before), 50 000 at 376, 100 000 at 445,
# in the same time within the machine's noise.
BLOCK_ROWS = 30_000
SUFFIXES = (".csv", ".csv.gz", ".txt")  # the data member of a .zip
SEPARATORS = ",;|\t"
COMMUNE = r"^(\d{5}|2[AB]\d{3})$"
UNSIGNED = r"^(\d+(\.\d*)?)?$"
SIGNED = r"^(-?\d+(\.\d*)?)?$"
DECIMALS = [*NUMBERS, "longitude", "latitude"]
TEXT = dict.fromkeys(USED, pa.string())
TYPED = {**TEXT, **dict.fromkeys(DECIMALS, pa.float64()), "date_mutation": pa.date32()}


class Progress:
    """Rows read and the total estimated so far, read by the importer between two blocks."""

    done = 0
    total = 0


def read_blocks(path, codes, arrondissements, summary, progress, typed=True):
    """Tables of the territory's rows, each holding whole mutations; ImportRejected naming line and column.

    ``codes`` maps official codes (arrondissements included) to commune ids, ``arrondissements``
    Marseille's arrondissement codes to their zone ids; ``summary`` counts the rows read and those
    outside the territory; ``progress`` (a ``Progress``) follows the reading. Typed, pyarrow
    converts numbers and dates itself (twice as fast) and a value that does not convert raises
    ``pa.ArrowInvalid``: the caller then reads the file again as text (``typed=False``), checked by
    our patterns, so that the error names its line and column in French. Once an error is found no
    block is given any more, and the reading goes on only to list the other errors.
    """
    errors, bad_shape = ErrorList(), []
    size = os.path.getsize(path)
    with _opened(path, typed) as (raw, encoding):
        header, separator = _header(raw.readline())
        if not raw.peek(1):  # pyarrow's « Empty CSV file » would end in a traceback
            raise no_rows()
        reader = pacsv.open_csv(
            raw,
            read_options=pacsv.ReadOptions(column_names=header, block_size=BLOCK, encoding=encoding),
            parse_options=pacsv.ParseOptions(
                delimiter=separator, invalid_row_handler=lambda row: bad_shape.append(row) or "skip"
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=USED, column_types=TYPED if typed else TEXT, strings_can_be_null=False,
                null_values=[""],
            ),
        )  # fmt: skip
        batches = _Batches(codes, arrondissements, summary, errors, typed)
        pending, pending_rows = [], 0
        with contextlib.suppress(TooManyErrors):
            for batch in reader:
                kept = batches.add(batch)
                progress.done, progress.total = summary.read, _estimate(summary.read, raw, size)
                if errors or bad_shape:
                    continue
                pending.append(kept)
                pending_rows += kept.num_rows
                if pending_rows >= BLOCK_ROWS:
                    whole, tail = _cut_after_last_whole_mutation(pa.concat_tables(pending))
                    pending, pending_rows = [tail], tail.num_rows
                    if whole.num_rows:  # else one mutation fills the block: it goes on growing
                        yield whole
    if bad_shape:
        _report_bad_shapes(path, len(header), separator, errors)
    errors.raise_if_any()
    if not summary.read:
        raise no_rows()
    progress.done = progress.total = summary.read
    if pending_rows:
        yield pa.concat_tables(pending)


@contextlib.contextmanager
def _opened(path, typed):
    """(binary stream, its encoding for pyarrow). Etalab publishes UTF-8: read as such first; the text
    reading, for a file re-saved by a spreadsheet, decides the encoding on the whole content."""
    if typed:
        with open_binary(path, SUFFIXES) as raw:
            yield raw, "utf8"
    else:
        with open_text(path, SUFFIXES) as stream:
            yield stream.buffer, "utf8" if stream.encoding == "utf-8-sig" else stream.encoding


def _cut_after_last_whole_mutation(table):
    """(rows up to the last mutation's, the last mutation's rows): it may go on in the next block."""
    ids = table.column("id_mutation")
    last = ids[-1]
    same = pc.equal(ids, last).to_numpy(zero_copy_only=False)
    different = np.flatnonzero(~same)
    cut = int(different[-1]) + 1 if len(different) else 0
    return table.slice(0, cut).combine_chunks(), table.slice(cut).combine_chunks()


def _header(line):
    """(column names, field separator). Etalab writes commas; the separator is the header's most
    frequent one so that the DGFiP's raw file (« | ») or another official file (« ; ») is recognised
    by name, and a file re-saved by a spreadsheet with « ; » is read."""
    text = line.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    separator = max(SEPARATORS, key=text.count)
    names = [name.strip() for name in next(csv.reader([text], delimiter=separator), [])]
    if refusal := wrong_format(names, "import_dvf"):
        raise refusal
    missing = [name for name in USED if name not in names]
    if missing:  # said once, in the message: the columns of older vintages we do not use may lack
        raise ImportRejected(
            f"Colonne(s) absente(s) : {', '.join(missing)}. Ce n'est pas un fichier DVF géolocalisées "
            f"(Etalab, https://files.data.gouv.fr/geo-dvf/) : colonnes lues {', '.join(names[:45])}. "
            "Rien n'a été importé."
        )
    return names, separator


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
        self._note_outside(code.filter(pc.and_(outside, pc.invert(wrong_code))))
        batch = batch.filter(inside)
        lines = lines.filter(inside)
        position = position.filter(inside)
        columns, found = self._typed(batch)
        self._report([("code_commune", wrong_code, "code commune invalide", code)], all_lines)
        self._report(found, lines)
        columns["commune_id"] = pc.take(self.commune_ids, position)
        columns["arrondissement_id"] = pc.take(self.zone_ids, position)
        return pa.table(columns)

    def _note_outside(self, codes):
        """``Summary.note_outside`` of the block's rows, counted per commune by arrow, not row by row."""
        if not len(codes):
            return
        for entry in pc.value_counts(codes).to_pylist():
            self.summary.note_outside(entry["values"], entry["counts"])

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


def _estimate(rows, raw, size):
    """Total rows, extrapolated from the share of the stored (compressed) file read so far.

    Only ``tell()``: pyarrow reads ahead from the file in another thread, a seek would race it.
    Inside a zip the compressed position is not known: the rows read so far.
    """
    inner = getattr(raw, "raw", raw)
    if isinstance(inner, gzip.GzipFile):
        inner = inner.fileobj
    elif getattr(raw, "name_in_archive", None):
        return rows
    try:
        done = inner.tell()
    except (OSError, AttributeError, ValueError):
        return rows
    return max(rows, round(rows * size / done)) if size and done else rows


def _report_bad_shapes(path, expected, separator, errors):
    """pyarrow does not say where a row with the wrong number of fields is: find it with csv."""
    with open_text(path, SUFFIXES) as stream, contextlib.suppress(TooManyErrors):
        reader = csv.reader(stream, delimiter=separator)
        for fields in reader:
            if fields and len(fields) != expected:  # pyarrow skips blank lines too
                errors.add(reader.line_num, None, field_count_error(len(fields), expected))
