"""The cells every importer reads alike: INSEE codes as files and spreadsheets write them."""

import pytest

from observatoire.imports.cells import insee_code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("13001", "13001"),
        (" 13001 ", "13001"),
        ("1001", "01001"),  # a spreadsheet dropped the leading zero
        ("04112", "04112"),
        ("13001.0", "13001"),  # a numeric column written back as text
        ("4112.00", "04112"),
        (4112, "04112"),  # a workbook's or a JSON file's number
        (13001.0, "13001"),
        ("2A004", "2A004"),
        ("2b033", "2B033"),
        ("97101", "97101"),
    ],
)
def test_a_code_gets_its_five_characters_back(raw, code):
    assert insee_code(raw) == code


@pytest.mark.parametrize(
    "raw",
    [None, "", "  ", "13x", "13O01", "130011", "13001.5", 13001.5, "2A04", "2C004", "-4112", -4112, True,
     "１３００１", float("nan"), float("inf")],
)  # fmt: skip
def test_anything_else_is_no_code(raw):
    assert insee_code(raw) is None
