"""Reading official files: separators, encodings, compression."""

import csv
import gzip
import io

import pytest

from observatoire.imports.base import ImportRejected
from observatoire.imports.files import open_text, read_table


def text_table(text):
    return read_table(io.StringIO(text), normalise=str.upper)


@pytest.mark.parametrize("text", ["ANNEE;COMM\n2023;13001\n", "ANNEE,COMM\n2023,13001\n"])
def test_semicolon_or_comma_and_normalised_header(text):
    assert list(text_table(" " + text.lower()).records()) == [(2, {"ANNEE": "2023", "COMM": "13001"})]


def test_an_unsniffable_file_does_not_change_how_the_process_writes_csv():
    # One column: nothing to sniff, so the French default applies to this file only.
    assert [row["CODE"] for _, row in text_table("code\n13001\n13055\n").records()] == ["13001", "13055"]
    assert csv.excel.delimiter == ","


def test_gzip_windows_1252_and_truncated_archives(tmp_path):
    path = tmp_path / "fichier.csv.gz"
    path.write_bytes(gzip.compress("COMM;LIBELLE\n13001;Aix-en-Provence été\n".encode("cp1252")))
    with open_text(path) as stream:
        assert "été" in stream.read()
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(ImportRejected, match="tronquée"), open_text(path) as stream:
        stream.read()
