"""Opening official files as published: plain or gzipped, UTF-8 or Windows-1252, `;` or `,`."""

import codecs
import csv
import gzip
import io
import zlib
from contextlib import contextmanager

from .base import ImportRejected

GZIP_MAGIC = b"\x1f\x8b"


def _is_gzip(path):
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def _encoding(path, opener):
    """UTF-8 (with or without BOM) when the first megabyte decodes; Windows-1252 otherwise."""
    with opener(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


@contextmanager
def open_text(path):
    """Yield a text stream over the file, decompressing gzip; a truncated archive is a clear error."""
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


def dict_reader(text, normalise=str.upper):
    """Rows of an official CSV as dicts, keyed by header names stripped and case-normalised."""
    reader = csv.DictReader(io.StringIO(text), dialect=dialect_of(text[:4096]))
    reader.fieldnames = [normalise(name.strip()) for name in (reader.fieldnames or [])]
    return reader


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
