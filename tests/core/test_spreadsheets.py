"""core.spreadsheets: no text cell of a CSV or XLSX written by the portal can run as a formula."""

import csv
import io

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from observatoire.core.spreadsheets import (
    csv_dict_writer,
    csv_writer,
    decimal_comma,
    neutralised_select,
    safe_cell,
    xlsx_append,
)
from observatoire.opendata.exports import csv_blocks
from observatoire.opendata.sources import Source

RISKY = ['=HYPERLINK("http://x")', "@SUM(1)", "+1", "-2+3", "\tfoo", "\rbar"]


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Marseille", "", " =1", "a=b", "'déjà", None, -3.5, -2, 0, True])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def read_csv(text, **fmtparams):
    return list(csv.reader(io.StringIO(text), **fmtparams))


def test_csv_writer_neutralises_text_and_keeps_numbers():
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(["texte", "nombre"])
    writer.writerows([[text, -3.5] for text in RISKY] + [[None, -2]])
    rows = read_csv(buffer.getvalue(), delimiter=";")
    assert [row[0] for row in rows[1:]] == ["'" + text for text in RISKY] + [""]
    assert {row[1] for row in rows[1:-1]} == {"-3.5"} and rows[-1][1] == "-2"


def test_numbers_are_formatted_after_the_check():
    buffer = io.StringIO()
    csv_writer(buffer, number=decimal_comma, delimiter=";").writerow([-3.5, 2.0, "-3,5", None])
    assert buffer.getvalue().strip() == "-3,5;2;'-3,5;"


def test_csv_dict_writer_neutralises_values():
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, fieldnames=["territoire", "valeur"])
    writer.writeheader()
    writer.writerows([{"territoire": "=1+1", "valeur": -1.25}])
    assert read_csv(buffer.getvalue()) == [["territoire", "valeur"], ["'=1+1", "-1.25"]]


def test_xlsx_keeps_risky_text_as_text_and_numbers_as_numbers():
    workbook = Workbook()
    xlsx_append(workbook.active, [*RISKY, -3.5, 12, "Aix"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = list(load_workbook(buffer).active[1])
    for cell, text in zip(cells, RISKY, strict=False):
        # Stored as text with Excel's quote-prefix flag (a typed leading '): never a formula.
        # (openpyxl writes through lxml, which escapes a carriage return: it reads back as written.)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert [(c.value, c.data_type) for c in cells[len(RISKY) :]] == [(-3.5, "n"), (12, "n"), ("Aix", "s")]
    assert not cells[-1].quotePrefix


SAMPLE_SQL = """
    SELECT * FROM (VALUES
        ('=HYPERLINK("http://x")'::text, -3.5::numeric, '-2+3'::varchar(20), -4, 'Aix'::text,
         DATE '2024-01-31'),
        (E'\\tfoo', 2.25, '@SUM(1)', 7, '+1', NULL)
    ) AS t(libelle, taux, code, nombre, commune, jour)
"""


def test_neutralised_select_quotes_text_columns_only():
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(neutralised_select(raw, SAMPLE_SQL))
        rows = raw.fetchall()
    assert rows[0][:5] == ('\'=HYPERLINK("http://x")', -3.5, "'-2+3", -4, "Aix")
    assert rows[1][:5] == ("'\tfoo", 2.25, "'@SUM(1)", 7, "'+1")


def test_copy_csv_of_a_source_is_neutralised_with_numbers_unchanged():
    text = b"".join(csv_blocks(Source("essai", SAMPLE_SQL))).decode()
    rows = read_csv(text)
    assert rows[0] == ["libelle", "taux", "code", "nombre", "commune", "jour"]
    assert rows[1] == ['\'=HYPERLINK("http://x")', "-3.5", "'-2+3", "-4", "Aix", "2024-01-31"]
    assert rows[2] == ["'\tfoo", "2.25", "'@SUM(1)", "7", "'+1", ""]
