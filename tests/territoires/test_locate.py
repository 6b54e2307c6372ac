"""CommuneResolver reads a feature's commune code as every importer does (``cells.insee_code``)."""

import pytest

from observatoire.imports.base import ErrorList
from observatoire.territoires.locate import CommuneResolver


@pytest.mark.parametrize("raw", ["13001", "13001.0", " 13001 "])
def test_a_code_a_spreadsheet_rewrote_is_read(territoire, raw):
    commune, code = CommuneResolver().from_code(raw)
    assert code == "13001" and commune == territoire.get(insee="13001").pk


def test_a_malformed_code_is_an_error_naming_the_feature_and_the_column(territoire):
    resolver, errors = CommuneResolver(), ErrorList()
    resolver.declare(3, "13O01", "insee_com", errors)  # a letter O typed for a zero
    resolver.declare(4, "30189", "insee_com", errors)  # Nîmes: well formed, outside the territory
    assert errors == ["ligne 3, colonne insee_com : code commune invalide « 13O01 »."]
    assert resolver.located[4] is None and resolver.declared[4] == "30189"
