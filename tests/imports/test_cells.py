"""The cells every importer reads alike: INSEE codes as files and spreadsheets write them, and
Marseille's arrondissements merged into their commune."""

import pytest

from observatoire.imports.cells import ByCommune, insee_code


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
     "１３００１", float("nan"), float("inf"), "0", 13, "00013"],  # no département 00
)  # fmt: skip
def test_anything_else_is_no_code(raw):
    assert insee_code(raw) is None


def test_a_communes_own_row_wins_over_its_arrondissements_merged_otherwise():
    rows = ByCommune(sum)
    rows.add(("marseille", 2021), 10, arrondissement=True)
    rows.add(("marseille", 2021), 5, arrondissement=True)
    rows.add(("marseille", 2022), 7, arrondissement=True)
    rows.add(("marseille", 2022), 100, arrondissement=False)
    rows.add(("aix", 2022), 1, arrondissement=False)
    rows.add(("aix", 2022), 2, arrondissement=False)  # without gather, the last row of a key is kept
    assert dict(rows.items()) == {("marseille", 2021): 15, ("marseille", 2022): 100, ("aix", 2022): 2}
    assert ("marseille", 2022) in rows and ("marseille", 2021) not in rows
    assert rows.ignored_parts == 1


def test_gathered_rows_of_a_commune_are_merged_too():
    rows = ByCommune(sum, gather=True)
    rows.add(("aix", 2022), 1, arrondissement=False)
    rows.add(("aix", 2022), 2, arrondissement=False)
    rows.add(("marseille", 2022), 100, arrondissement=False)
    rows.add(("marseille", 2022), 5, arrondissement=True)
    rows.add(("marseille", 2022), 6, arrondissement=True)
    assert dict(rows.items()) == {("aix", 2022): 3, ("marseille", 2022): 100}
    assert rows.ignored_parts == 2
