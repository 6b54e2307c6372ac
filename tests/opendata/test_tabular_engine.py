"""The tabular engine against a plain Python reference, on a table built here (no database)."""

import datetime
import random

import pyarrow as pa
import pytest
from django.http import QueryDict

from observatoire.opendata import tabular

ROWS = 3_000
WORDS = [f"valeur {i:02d}" for i in range(30)]  # more distinct values than FEW_CODES


@pytest.fixture(scope="module")
def table():
    rng = random.Random(12)
    columns = {
        "mot": [rng.choice([*WORDS, None]) for _ in range(ROWS)],
        "nombre": [rng.choice([None, *range(50)]) for _ in range(ROWS)],
        "jour": [datetime.date(2025, 1, 1) + datetime.timedelta(rng.randrange(365)) for _ in range(ROWS)],
        "libre": [f"texte {rng.random():.6f}" for _ in range(ROWS)],  # not dictionary-encoded
    }
    return tabular._tabular(pa.table(columns), None)


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch):
    monkeypatch.setattr(tabular, "BLOCK", 256)  # many blocks on a small table


def reference(table, predicate, sort=None, reverse=False):
    rows = [row for row in table.to_pylist() if predicate(row)]
    if sort:
        valued = [r for r in rows if r[sort] is not None]
        valued.sort(key=lambda r: r[sort], reverse=reverse)  # Python's sort is stable too
        rows = valued + [r for r in rows if r[sort] is None]
    return [row["__id"] for row in rows]


def run(table, query_string, offset, limit):
    columns = tabular.columns_from_file(table)
    query, conditions = tabular.parse_query(QueryDict(query_string), columns)
    query.mask = tabular.build_mask(table, conditions)
    total, page = tabular.select(table, query, offset, limit)
    return total, page["__id"].to_pylist()


CASES = [
    ("mot__exact=valeur 03", lambda r: r["mot"] == "valeur 03", None, False),
    ("mot__in=" + ",".join(WORDS[:12]), lambda r: r["mot"] in WORDS[:12], None, False),
    ("mot__notin=valeur 01,valeur 02", lambda r: r["mot"] is not None and r["mot"] not in WORDS[1:3],
     None, False),
    ("mot__differs=valeur 04", lambda r: r["mot"] is not None and r["mot"] != "valeur 04", None, False),
    ("mot__contains=UR 1", lambda r: r["mot"] is not None and "ur 1" in r["mot"], None, False),
    ("mot__notcontains=1", lambda r: r["mot"] is not None and "1" not in r["mot"], None, False),
    ("mot__greater=valeur 20", lambda r: r["mot"] is not None and r["mot"] >= "valeur 20", None, False),
    ("mot__isnull=", lambda r: r["mot"] is None, None, False),
    ("nombre__strictly_less=10&nombre__sort=desc", lambda r: r["nombre"] is not None and r["nombre"] < 10,
     "nombre", True),
    ("jour__less=2025-03-01&mot__sort=asc", lambda r: r["jour"] <= datetime.date(2025, 3, 1), "mot", False),
    ("mot__sort=desc", lambda r: True, "mot", True),
    ("libre__contains=0.5&libre__sort=asc", lambda r: "0.5" in r["libre"], "libre", False),
    ("nombre__isnotnull=&nombre__sort=asc", lambda r: r["nombre"] is not None, "nombre", False),
]  # fmt: skip


def test_sorts_on_several_columns_match_python(table):
    rows = [r for r in table.to_pylist() if r["jour"] <= datetime.date(2025, 6, 1)]
    # mot descending (values first, nulls last), then nombre ascending (nulls last), then file order.
    rows.sort(key=lambda r: (r["nombre"] is None, r["nombre"] or 0))
    rows.sort(key=lambda r: r["mot"] or "", reverse=True)
    rows.sort(key=lambda r: r["mot"] is None)
    expected = [r["__id"] for r in rows]
    for offset, limit in [(0, 20), (333, 100), (len(expected) - 10, 50)]:
        total, ids = run(table, "jour__less=2025-06-01&mot__sort=desc&nombre__sort=asc", offset, limit)
        assert total == len(expected) and ids == expected[offset : offset + limit]


@pytest.mark.parametrize(("query_string", "predicate", "sort", "reverse"), CASES)
@pytest.mark.parametrize(("offset", "limit"), [(0, 20), (37, 50), (900, 200), (2_990, 50)])
def test_pages_match_a_plain_python_reference(table, query_string, predicate, sort, reverse, offset, limit):
    expected = reference(table, predicate, sort, reverse)
    total, ids = run(table, query_string, offset, limit)
    assert total == len(expected)
    assert ids == expected[offset : offset + limit]


def test_text_is_dictionary_encoded_when_it_repeats(table):
    assert pa.types.is_dictionary(table["mot"].type)
    assert pa.types.is_string(table["libre"].type)
    assert table["__id"].to_pylist() == list(range(1, ROWS + 1))
