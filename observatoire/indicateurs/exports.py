"""A table shown on a page, as a CSV or XLSX download with the same columns and rows.

A ``Table`` holds numbers as numbers, rounded as the page shows them (``rounded_valeur``); XLSX
gives its value columns a number format (thousands grouped, up to two decimals) so that the
spreadsheet reads like the page while staying computable.
Both writers come from core.spreadsheets, which keeps text cells from running as formulas.
CSV follows the French spreadsheet habit: semicolons, decimal comma, UTF-8 with a BOM so that
Excel reads the accents.
"""

import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from observatoire.core.spreadsheets import csv_writer, decimal_comma, xlsx_append

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    headers: list
    rows: list
    filename: str
    # (label, value) lines describing the data: indicator, source, filters.
    notes: list = field(default_factory=list)
    # Indexes of the columns holding indicator values (years and ranks keep Excel's General).
    number_columns: tuple = ()


WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"


def _number_format(sheet, table):
    for row in sheet.iter_rows(min_row=2):
        for index in table.number_columns:
            cell = row[index]
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = WHOLE_FORMAT if isinstance(cell.value, int) else DECIMAL_FORMAT


def csv_response(table):
    buffer = io.StringIO()
    writer = csv_writer(buffer, number=decimal_comma, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{table.filename}.csv"'
    return response


def xlsx_response(table):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Données"
    xlsx_append(sheet, table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        xlsx_append(sheet, row)
    _number_format(sheet, table)
    sheet.freeze_panes = "A2"
    for i, header in enumerate(table.headers, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(45, max(10, len(header) + 2))
    about = workbook.create_sheet("À propos")
    xlsx_append(about, ["Tableau", table.title])
    for label, value in table.notes:
        xlsx_append(about, [label, value])
    about.append(["Exporté le", timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{table.filename}.xlsx"'
    return response


def respond(table, fmt):
    return xlsx_response(table) if fmt == "xlsx" else csv_response(table)
