"""Every CSV and XLSX the portal writes goes through here, so no cell becomes a spreadsheet formula.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel or LibreOffice when the file is opened: a report title or a user agent like
``=HYPERLINK("http://…")`` would become a link, or worse, in an agent's spreadsheet. Following the
OWASP guidance on CSV injection, such text is written with a leading single quote, which
spreadsheets read as "this is text". Only text is touched: numbers stay numbers (-3.5 is data),
so a value must reach these writers with its type, before any formatting into a string.

- CSV: ``csv_writer()`` wraps ``csv.writer``; ``csv_dict_writer()`` wraps ``csv.DictWriter``.
- XLSX: ``xlsx_append()`` adds a row to an openpyxl sheet; a risky text is stored as a text cell
  with Excel's own quote-prefix flag (what typing a leading ``'`` does), so it shows unchanged
  but can never be evaluated.
- PostgreSQL ``COPY``: ``neutralised_select()`` wraps a query so its text columns come out
  neutralised, numbers and dates unchanged.
"""

import csv

from psycopg import postgres
from psycopg import sql as pgsql

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value to write in a cell: risky text gets a leading quote; anything else is unchanged."""
    return "'" + value if is_formula_like(value) else value


def decimal_comma(value):
    """French spreadsheets' number format for CSV (1,5); integers without a decimal part."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return value


class _SafeRows:
    """A csv writer whose rows are neutralised (then formatted by ``number``) cell by cell."""

    def __init__(self, writer, number):
        self._writer = writer
        self._number = number

    def _cell(self, value):
        return "" if value is None else self._number(safe_cell(value))

    def writerow(self, row):
        if isinstance(row, dict):
            return self._writer.writerow({key: self._cell(value) for key, value in row.items()})
        return self._writer.writerow([self._cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)

    def writeheader(self):
        return self._writer.writeheader()


def csv_writer(stream, *, number=lambda value: value, **fmtparams):
    """``csv.writer`` that neutralises formulas; ``number`` formats numbers (e.g. ``decimal_comma``)."""
    return _SafeRows(csv.writer(stream, **fmtparams), number)


def csv_dict_writer(stream, fieldnames, *, number=lambda value: value, **fmtparams):
    return _SafeRows(csv.DictWriter(stream, fieldnames, **fmtparams), number)


def xlsx_append(sheet, row):
    """``sheet.append(row)`` where risky text stays text (openpyxl would store "=…" as a formula)."""
    row = list(row)
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if is_formula_like(value):
            cell.value, cell.data_type, cell.quotePrefix = value, "s", True


# PostgreSQL's built-in text types (their OIDs are fixed by the server).
_TEXT_OIDS = {postgres.types.get(name).oid for name in ("text", "varchar", "bpchar", "name")}


def _sql_safe_text(column):
    starts = ", ".join(f"chr({ord(char)})" for char in FORMULA_STARTS)
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN '''' || {column} ELSE {column} END AS {column}"


def neutralised_select(cursor, sql, params=()):
    """``sql`` with its text columns neutralised in PostgreSQL (for ``COPY (…) TO STDOUT``).

    The column types come from the query itself, run with ``LIMIT 0``: only text columns are
    wrapped, so numbers, dates and booleans are written exactly as before.
    """
    cursor.execute(f"SELECT * FROM ({sql}) s LIMIT 0", params)  # noqa: S608 - SQL declared in code
    columns = []
    for column in cursor.description:
        name = pgsql.Identifier(column.name).as_string(cursor.connection)
        columns.append(_sql_safe_text(name) if column.type_code in _TEXT_OIDS else name)
    return f"SELECT {', '.join(columns)} FROM ({sql}) s"  # noqa: S608 - SQL declared in code
