"""Opening official files as published: plain, gzipped or zipped; UTF-8, Windows-1252 or Latin-1; `;` or `,`.

INSEE and the ministries publish their CSVs inside `.zip` archives (the data file beside a
`meta_*` file of variable labels), Etalab gzips DVF, and a person may zip anything before
uploading it. ``open_binary`` finds the data file wherever it sits; ``open_text`` adds the encoding,
decided on the whole content, so that an accent on the millionth line never ends in a traceback.
"""

import codecs
import contextvars
import csv
import gzip
import io
import itertools
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import PurePosixPath

from .base import ErrorList, ImportRejected

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
TEXT_SUFFIXES = (".csv", ".txt")
# Bytes Windows-1252 leaves undefined: a file holding them is Latin-1 (ISO-8859-1), which defines all.
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
CHUNK = 1 << 20
# INSEE's dictionaries of variables and of their values, shipped beside the data in its archives.
DICTIONARIES = ("meta", "varmod")
_member = contextvars.ContextVar("archive_member", default=None)


@contextmanager
def chosen_member(name):
    """Within the block, archives open the member ``name`` (the commands' ``--membre``)."""
    token = _member.set(name or None)
    try:
        yield
    finally:
        _member.reset(token)


def chosen_member_name():
    return _member.get()


def _magic(path, size=4):
    with open(path, "rb") as handle:
        return handle.read(size)


def is_zip(path):
    return _magic(path).startswith(ZIP_MAGICS)


def _is_gzip(path):
    return _magic(path, 2) == GZIP_MAGIC


def zip_members(path):
    """Names of the files in the archive (folders and macOS metadata left out), or None if not a zip."""
    if not is_zip(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as error:
        raise ImportRejected("Archive zip corrompue ou tronquée : rien n'a été importé.", [str(error)]) from (
            error
        )
    return [name for name in names if not name.endswith("/") and not name.startswith("__MACOSX/")]


def office_document(names):
    """« classeur Excel (.xlsx) » when a zip is in fact an office document, None otherwise."""
    if "[Content_Types].xml" in names:
        if any(name.startswith("xl/") for name in names):
            return "classeur Excel (.xlsx)"
        if any(name.startswith("word/") for name in names):
            return "document Word (.docx)"
        return "document Office"
    if "mimetype" in names and "content.xml" in names:
        return "document OpenDocument (.ods/.odt)"
    return None


def _listing(names, limit=15):
    shown = [f"« {name} »" for name in names[:limit]]
    return ", ".join(shown) + (f" et {len(names) - limit} autre(s)" if len(names) > limit else "")


def data_candidates(names, suffixes=TEXT_SUFFIXES, leave_out=None):
    """The data files among an archive's ``names``: files of ``suffixes`` (gzipped or not), INSEE's
    dictionaries of variables (``meta_…``, ``varmod_…``) left out, and those whose file name
    ``leave_out`` is true of (a producer's own documentation). An archive that is another kind of
    thing (a GTFS feed, an office document, a 7-Zip inside a zip) is refused saying what it is."""
    basenames = {PurePosixPath(name).name.lower() for name in names}
    if {"stops.txt", "stop_times.txt"} <= basenames and not chosen_member_name():
        raise ImportRejected(
            "Cette archive est un flux GTFS (horaires de transport) : importez-la avec "
            "`python manage.py import_gtfs`. Rien n'a été importé."
        )
    kind = office_document(names)
    if kind:
        raise ImportRejected(
            f"Ce fichier est un {kind}, pas une archive de fichiers CSV : enregistrez la feuille en CSV "
            "(séparateur « ; ») ou utilisez l'import prévu pour ce classeur. Rien n'a été importé."
        )
    candidates = [
        n for n in names
        if n.lower().endswith((*suffixes, *(s + ".gz" for s in suffixes)))
        and not PurePosixPath(n).name.lower().startswith(DICTIONARIES)
        and not (leave_out and leave_out(PurePosixPath(n).name))
    ]  # fmt: skip
    sevenzip = [name for name in names if name.lower().endswith(".7z")]
    if not candidates and sevenzip:
        raise ImportRejected(
            f"L'archive contient une archive 7-Zip (« {sevenzip[0]} ») que le portail ne sait pas ouvrir : "
            "extrayez-en le fichier CSV (avec 7-Zip) et importez ce CSV. Rien n'a été importé.",
            [f"Fichiers de l'archive : {_listing(names)}."],
        )
    return candidates


def data_member(path, names, suffixes=TEXT_SUFFIXES, leave_out=None):
    """The member of the archive to read: the one named by ``--membre``, else its only data file
    (``leave_out``: see ``data_candidates``; a member named by ``--membre`` is read even so)."""
    wanted = chosen_member_name()
    candidates = data_candidates(names, suffixes, None if wanted else leave_out)
    if wanted:
        wanted = wanted.lower()
        matches = [n for n in names if wanted in (n.lower(), PurePosixPath(n).name.lower())]
        if len(matches) == 1:
            return matches[0]
        raise ImportRejected(
            f"L'archive ne contient pas de fichier « {chosen_member_name()} » : rien n'a été importé.",
            [f"Fichiers de l'archive : {_listing(names)}."],
        )
    if len(candidates) == 1:
        return candidates[0]
    expected = " ou ".join(suffixes)
    if not candidates:
        raise ImportRejected(
            f"L'archive ne contient aucun fichier {expected} à importer : rien n'a été importé.",
            [f"Fichiers de l'archive : {_listing(names) or 'aucun'}."],
        )
    raise ImportRejected(
        f"L'archive contient plusieurs fichiers {expected} : indiquez celui à importer (option --membre NOM "
        "de la commande, champ « fichier dans l'archive » de l'import en ligne). Rien n'a été importé.",
        [f"Fichiers candidats : {_listing(candidates)}."],
    )


@contextmanager
def open_binary(path, suffixes=TEXT_SUFFIXES):
    """A buffered binary stream (with ``peek``) over the data: the file, its gzip, or its zip's data member.

    The stream has ``name_in_archive`` when it came out of a zip, for messages.
    """
    try:
        if is_zip(path):
            member = data_member(path, zip_members(path), suffixes)
            with zipfile.ZipFile(path) as archive, archive.open(member) as raw:
                if member.lower().endswith(".gz"):
                    with gzip.GzipFile(fileobj=raw) as unzipped:
                        stream = io.BufferedReader(unzipped, CHUNK)
                        stream.name_in_archive = member
                        yield stream
                else:
                    stream = io.BufferedReader(raw, CHUNK)
                    stream.name_in_archive = member
                    yield stream
        elif _is_gzip(path):
            with gzip.open(path, "rb") as raw:
                stream = io.BufferedReader(raw, CHUNK)
                stream.name_in_archive = None
                yield stream
        else:
            with open(path, "rb", buffering=CHUNK) as stream:
                stream.name_in_archive = None
                yield stream
    except (EOFError, gzip.BadGzipFile, zlib.error, zipfile.BadZipFile) as error:
        raise ImportRejected(
            "Archive (gzip ou zip) tronquée ou corrompue : le fichier n'a pas pu être lu jusqu'au bout, "
            "rien n'a été importé.",
            [f"{error.__class__.__name__} : {error}"],
        ) from error


def detect_encoding(path, suffixes=TEXT_SUFFIXES):
    """``utf-8-sig``, ``cp1252`` or ``latin-1``, decided by reading the whole content once.

    UTF-8 when every byte decodes as such (a BOM is skipped); else Windows-1252, the French
    administrations' usual « ANSI »; else Latin-1 when a byte that Windows-1252 leaves undefined occurs
    (Latin-1 reads every byte). A NUL byte is never in a CSV of these: the file is binary (a
    spreadsheet, an image) or UTF-16, which Excel's « texte Unicode » writes; it is refused.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, undefined, first = True, False, True
    with open_binary(path, suffixes) as stream:
        while chunk := stream.read(CHUNK):
            if first and b"\x00" in chunk:
                raise ImportRejected(
                    "Ce n'est pas un fichier texte CSV (fichier binaire ou encodé en UTF-16) : "
                    "enregistrez-le en CSV UTF-8 ou Windows-1252. Rien n'a été importé."
                )
            first = False
            if utf8 and not chunk.isascii():
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            undefined = undefined or any(byte in chunk for byte in CP1252_UNDEFINED)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # a character cut at the very end
            utf8 = False
    if utf8:
        return "utf-8-sig"
    return "latin-1" if undefined else "cp1252"


@contextmanager
def open_text(path, suffixes=TEXT_SUFFIXES, encoding=None):
    """A text stream over the data (see ``open_binary``), in the encoding the whole content has.

    ``encoding`` skips the detection for formats whose producer guarantees one.
    """
    encoding = encoding or detect_encoding(path, suffixes)
    with open_binary(path, suffixes) as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
        stream.name_in_archive = raw.name_in_archive
        try:
            yield stream
        finally:
            stream.detach()


class Semicolon(csv.excel):
    """The French official files' usual separator, when the sample does not tell."""

    delimiter = ";"


def dialect_of(header_line):
    """``;`` or ``,``, told by the header line: whichever it holds more of (``;`` on a tie).

    ``csv.Sniffer`` gave up on samples whose rows repeat the same values and its fallback read a
    comma-separated header as one column. A subclass rather than ``csv.excel`` changed in place (that
    would switch every CSV the process writes afterwards to semicolons).
    """
    return Semicolon if header_line.count(";") >= header_line.count(",") else csv.excel


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

    def __init__(
        self, stream, dialect=Semicolon, *, normalise=str.strip, where="", allow_empty=False, skipped=0
    ):
        self._reader = csv.reader(stream, dialect)
        self.skipped = skipped  # lines above the header (a description line), counted in line numbers
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
            [f"ligne {self._reader.line_num + self.skipped}{self.where} : {error}."],
        )

    def __iter__(self):
        width, reader, rows, skipped = len(self.header), self._reader, 0, self.skipped
        try:
            for fields in reader:
                if len(fields) != width:
                    if not fields:
                        continue
                    errors = ErrorList()
                    line = reader.line_num + skipped
                    errors.add(f"{line}{self.where}", None, field_count_error(len(fields), width))
                    errors.raise_if_any()
                rows += 1
                yield reader.line_num + skipped, fields
        except csv.Error as error:
            raise self._malformed(error) from error
        if not rows and not self.allow_empty:
            raise no_rows(self.where)

    def records(self):
        """``(line, {header name: value})`` for each row."""
        header = self.header
        for line, fields in self:
            yield line, dict(zip(header, fields, strict=True))


def _names(line, normalise):
    return [normalise(name.strip()) for row in csv.reader([line], dialect_of(line)) for name in row]


def read_table(stream, *, header_has=(), above=1, **options):
    """A ``CsvTable`` over a text stream read once, never rewound (a zip member, a gzip).

    The separator is told by the header line. DiDo (the SDES catalogue) may put a line of column
    descriptions (« Année » ; « Code commune »…) above the names, CIGALE's download a title and its
    conditions of use: when the first line holds none of ``header_has`` (normalised names), the
    header is the first of the next ``above`` lines that does. The lines above it are kept as
    ``table.preamble`` (some say what the file is) and the line numbers of the errors still count them.
    """
    normalise = options.get("normalise", str.strip)
    wanted = set(header_has)
    lines = [stream.readline()]
    while wanted and not wanted & set(_names(lines[-1], normalise)) and len(lines) <= above:
        line = stream.readline()
        if not line:
            break
        lines.append(line)
    if wanted and wanted & set(_names(lines[-1], normalise)):
        preamble, first = lines[:-1], lines[-1]
    else:
        preamble, first = [], lines[0]
        stream = itertools.chain(lines[1:], stream)
    table = CsvTable(itertools.chain([first], stream), dialect_of(first), skipped=len(preamble), **options)
    table.preamble = [line.rstrip("\r\n") for line in preamble]
    return table
