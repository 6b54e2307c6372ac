"""Opening official files as published: plain or gzipped, UTF-8 or Windows-1252, `;` or `,`."""

import codecs
import csv
import gzip
import io
import zlib
from contextlib import contextmanager

from .base import ErrorList, ImportRejected

GZIP_MAGIC = b"\x1f\x8b"


def _is_gzip(path):
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def _encoding(path, opener):
    """UTF-8 (with or without BOM) when the first megabyte decodes; Windows-1252 otherwise.

    A NUL byte is never in a CSV of either: the file is binary (a spreadsheet, an archive, an
    image) or UTF-16, which Excel's « texte Unicode » writes; it is refused before reading it.
    """
    with opener(path, "rb") as handle:
        head = handle.read(1 << 20)
    if b"\x00" in head:
        raise ImportRejected(
            "Ce n'est pas un fichier texte CSV (fichier binaire ou encodé en UTF-16) : enregistrez-le "
            "en CSV UTF-8 ou Windows-1252. Rien n'a été importé."
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


@contextmanager
def open_text(path):
    """Yield a text stream over the file, decompressing gzip; a truncated archive or bytes that no
    encoding reads are clear errors, not tracebacks."""
    opener = gzip.open if _is_gzip(path) else open
    try:
        encoding = _encoding(path, opener)
        with opener(path, "rt", encoding=encoding, newline="") as stream:
            yield stream
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ImportRejected(
            "Archive gzip tronquée ou corrompue : le fichier n'a pas pu être lu jusqu'au bout, "
            "rien n'a été importé.",
            [f"{error.__class__.__name__} : {error}"],
        ) from error
    except UnicodeDecodeError as error:
        # The first megabyte decided the encoding; a byte further on (or one that Windows-1252
        # leaves undefined) does not fit it: a file in two encodings, or not text at all.
        raise ImportRejected(
            "Caractères illisibles : le fichier n'est ni en UTF-8 ni en Windows-1252 d'un bout à "
            "l'autre (fichier binaire ou encodages mélangés ?). Rien n'a été importé.",
            [f"octet 0x{error.object[error.start]:02x} : {error.reason}"],
        ) from error


class Semicolon(csv.excel):
    """The French official files' usual separator, when the sample does not tell."""

    delimiter = ";"


def dialect_of(sample):
    """``;`` or ``,``, sniffed from the first lines; a subclass rather than ``csv.excel`` changed in place
    (that would switch every CSV the process writes afterwards to semicolons)."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,")
    except csv.Error:
        return Semicolon


def field_count_error(found, expected):
    """Why a line with the wrong number of fields is refused, as the error lists say it."""
    hint = "ligne tronquée ?" if found < expected else "séparateur en trop ?"
    return f"{found} champs au lieu de {expected} ({hint})"


def no_rows(where=""):
    """The refusal of a file that has its header and no row: importing it would change nothing, or
    empty what the importer replaces."""
    return ImportRejected(f"Aucune ligne de données sous l'en-tête{where} : rien n'a été importé.")


class CsvTable:
    """The one CSV reader for the official files: a header, then rows of exactly as many fields.

    A row with fewer fields than the header is nearly always a file cut short (a download or a
    copy stopped mid-line), one with more a stray separator: read as they are, their missing or
    shifted values would silently replace good data. So the whole file is refused at the first
    such row, naming its line (``where`` names the member of an archive, GTFS's « de stops.txt »).
    Blank lines are not rows. A file with a header and no row is refused too (``no_rows``).

    Iterating gives ``(line, fields)``, the line as a person finds it in a text editor.
    """

    def __init__(self, stream, dialect=Semicolon, *, normalise=str.strip, where="", allow_empty=False):
        self._reader = csv.reader(stream, dialect)
        self.where = f" de {where}" if where else ""
        self.allow_empty = allow_empty
        try:
            header = next(self._reader, [])
        except csv.Error as error:
            raise self._malformed(error) from error
        self.header = [normalise(name.strip()) for name in header]

    def _malformed(self, error):
        # e.g. a quote opened and never closed: the file was cut short inside a quoted value
        return ImportRejected(
            "Fichier CSV mal formé : rien n'a été importé.",
            [f"ligne {self._reader.line_num}{self.where} : {error}."],
        )

    def __iter__(self):
        width, reader, rows = len(self.header), self._reader, 0
        try:
            for fields in reader:
                if len(fields) != width:
                    if not fields:
                        continue
                    errors = ErrorList()
                    errors.add(f"{reader.line_num}{self.where}", None, field_count_error(len(fields), width))
                    errors.raise_if_any()
                rows += 1
                yield reader.line_num, fields
        except csv.Error as error:
            raise self._malformed(error) from error
        if not rows and not self.allow_empty:
            raise no_rows(self.where)

    def records(self):
        """``(line, {header name: value})`` for each row."""
        header = self.header
        for line, fields in self:
            yield line, dict(zip(header, fields, strict=True))


def text_table(text, normalise=str.upper):
    """A whole official CSV text as a ``CsvTable``, its separator sniffed, header names normalised."""
    return stream_table(io.StringIO(text), normalise=normalise)


def stream_table(stream, **options):
    """A ``CsvTable`` over a seekable text stream, its separator sniffed from the first 4 kB."""
    sample = stream.read(4096)
    stream.seek(0)
    return CsvTable(stream, dialect_of(sample), **options)


class TextFileImporter:
    """Mixin for importers of small text files read whole: set ``import_text`` (text, dry_run) → Summary."""

    import_text = None

    def run(self, path, *, dry_run=False, progress=None):
        with open_text(path) as stream:
            text = stream.read()
        summary = self.import_text(text, dry_run=dry_run)
        if progress:
            progress(summary.read, summary.read)
        return summary
