"""DVF aggregation rule by rule: grouping keys of any width, every type of mutation, repeated locals."""

import numpy as np
import pyarrow as pa
import pytest

from foncier.dvf.aggregate import _group, aggregate
from foncier.dvf.importer import import_path, official_codes
from foncier.dvf.read import Progress, read_blocks
from foncier.models import Mutation, TypeMutation
from observatoire.imports.base import Summary

from .test_dvf import apartment, house, land, row, text, write


def expected_groups(*codes):
    """Dense codes by lexicographic order of the tuples, and the first row of each group in the file."""
    _, index, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_index=True, return_inverse=True)
    first = np.zeros(len(codes[0]), dtype=bool)
    first[index] = True
    return inverse.ravel(), first


@pytest.mark.parametrize("widths", [(40, 30, 20), (62, 3), (31, 31, 31, 31), (5, 61, 7), (2, 3)])
def test_group_matches_numpy_unique_on_tuples_for_codes_of_any_width(widths):
    """Keys wider than 62 bits are re-packed on the way: distinct tuples must never merge."""
    rng = np.random.default_rng(sum(widths))
    codes = []
    for width in widths:
        pool = rng.integers(0, 2**width, 4, dtype=np.int64)
        pool[0] = 2**width - 1  # the widest value of that width
        codes.append(pool[rng.integers(0, len(pool), 3000)])
    dense, first = _group(*codes)
    expected_dense, expected_first = expected_groups(*codes)
    assert np.array_equal(dense, expected_dense)
    assert np.array_equal(first, expected_first)
    assert dense.max() + 1 == len(np.unique(np.stack(codes, axis=1), axis=0))


def test_group_of_no_rows():
    dense, first = _group(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    assert len(dense) == 0 and len(first) == 0


OTHER = "13001000AB9999"
GARAGE = {"type_local": "Dépendance", "code_type_local": "3"}
SHOP = {"type_local": "Local industriel. commercial ou assimilé", "code_type_local": "4",
        "surface_reelle_bati": "120", "lot1_numero": "3"}  # fmt: skip
FIELD = {"code_nature_culture": "T", "nature_culture": "terres", "surface_terrain": "2000"}


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        ([apartment("m", 200000, 50)], TypeMutation.APPARTEMENT),
        ([apartment("m", 200000, 50, lot1_numero="1"), apartment("m", 200000, 60, lot1_numero="2")],
         TypeMutation.APPARTEMENTS),
        ([house("m", 300000, 90)], TypeMutation.MAISON),
        ([house("m", 500000, 90), house("m", 500000, 110, id_parcelle=OTHER)], TypeMutation.MAISONS),
        ([apartment("m", 400000, 50), house("m", 400000, 90, id_parcelle=OTHER)], TypeMutation.MIXTE),
        ([apartment("m", 400000, 50), row("m", 400000, **SHOP)], TypeMutation.MIXTE),
        ([row("m", 150000, **SHOP)], TypeMutation.ACTIVITE),
        ([row("m", 150000, **SHOP), row("m", 150000, **GARAGE)], TypeMutation.ACTIVITE),
        ([apartment("m", 200000, 50), row("m", 200000, lot1_numero="4", **GARAGE)], TypeMutation.APPARTEMENT),
        ([row("m", 20000, **GARAGE)], TypeMutation.DEPENDANCES),
        ([land("m", 90000, 600, "13001000ZA0001")], TypeMutation.TERRAIN_A_BATIR),
        ([row("m", 90000, code_nature_culture="AB", surface_terrain="600")], TypeMutation.TERRAIN_A_BATIR),
        ([row("m", 90000, nature_mutation="Vente terrain à bâtir")], TypeMutation.TERRAIN_A_BATIR),
        ([row("m", 30000, **FIELD)], TypeMutation.TERRAIN),
        ([row("m", 30000)], TypeMutation.AUTRE),  # lots without a described local nor land
    ],
)  # fmt: skip
def test_type_of_mutation(territoire, tmp_path, rows, kind):
    import_path(write(tmp_path, text(rows)))
    assert Mutation.objects.get().type_mutation == kind


def test_counts_and_surfaces_per_kind_of_local(territoire, tmp_path):
    rows = [
        apartment("m", 900000, 50),
        house("m", 900000, 90, id_parcelle="13001000AB0002", nombre_pieces_principales="5"),
        row("m", 900000, id_parcelle="13001000AB0003", **SHOP),
        row("m", 900000, lot1_numero="40", surface_reelle_bati="15", **GARAGE),
        row("m", 900000, id_parcelle="13001000AB0004", **FIELD),
    ]
    import_path(write(tmp_path, text(rows)))
    m = Mutation.objects.get()
    assert (m.nb_appartements, m.surface_appartements, m.nb_maisons, m.surface_maisons) == (1, 50, 1, 90)
    assert (m.nb_activite, m.surface_activite, m.nb_dependances) == (1, 120, 1)
    assert m.pieces_principales == 3 + 5  # housing only
    assert (m.surface_terrain, m.surface_terrain_a_batir) == (400 + 2000, 0)
    assert m.valeur_fonciere == 900000  # one disposition: the price once
    assert m.lignes == 5
    assert m.type_mutation == TypeMutation.MIXTE


def test_repeated_and_distinct_locals(territoire, tmp_path):
    garden = {"code_nature_culture": "J", "nature_culture": "jardins", "surface_terrain": "250"}
    rows = [
        # One house on two cultures of its parcel: one house, its land twice (one per culture).
        house("m", 700000, 90),
        house("m", 700000, 90, **garden),
        # Two identical houses on the same culture of another parcel: two houses.
        house("m", 700000, 70, id_parcelle="13001000AB0002"),
        house("m", 700000, 70, id_parcelle="13001000AB0002"),
        # A different house on that parcel (other surface): a third one.
        house("m", 700000, 60, id_parcelle="13001000AB0002"),
    ]
    import_path(write(tmp_path, text(rows)))
    m = Mutation.objects.get()
    assert (m.nb_maisons, m.surface_maisons, m.pieces_principales) == (4, 90 + 70 + 70 + 60, 4 * 4)
    assert m.surface_terrain == 400 + 250 + 400
    assert m.type_mutation == TypeMutation.MAISONS
    assert m.parcelles == ["13001000AB0001", "13001000AB0002"]


def test_the_price_counts_once_per_disposition(territoire, tmp_path):
    rows = [
        apartment("m", 100000, 50, numero_disposition="000001"),
        row("m", 100000, numero_disposition="000001", lot1_numero="40", **GARAGE),
        apartment("m", 80000, 40, numero_disposition="000002", lot1_numero="7"),
    ]
    import_path(write(tmp_path, text(rows)))
    assert Mutation.objects.get().valeur_fonciere == 180000


def aggregated(tmp_path, rows):
    """The aggregation's own output, one dict per mutation (before any database write)."""
    blocks = read_blocks(write(tmp_path, text(rows)), official_codes(), {}, Summary(), Progress())
    return aggregate(pa.concat_tables(list(blocks))).to_pylist()


def test_a_mutation_without_coordinates_has_null_ones_not_nan(territoire, tmp_path):
    (mutation,) = aggregated(tmp_path, [apartment("m", 200000, 50, longitude="", latitude="")])
    assert mutation["longitude"] is None and mutation["latitude"] is None


def test_a_local_without_surface_nor_rooms_counts_for_nothing_but_itself(territoire, tmp_path):
    unknown = {"surface_reelle_bati": "", "nombre_pieces_principales": ""}
    rows = [
        house("m", 300000, 0, **unknown),
        house("m", 300000, 0, code_nature_culture="J", nature_culture="jardins", **unknown),
    ]
    (mutation,) = aggregated(tmp_path, rows)
    assert (mutation["nb_maisons"], mutation["surface_maisons"], mutation["pieces_principales"]) == (1, 0, 0)


def test_outbuildings_have_no_surface_column(territoire, tmp_path):
    (mutation,) = aggregated(tmp_path, [row("m", 20000, **GARAGE)])
    assert "surface_dependances" not in mutation
    assert {"surface_appartements", "surface_maisons", "surface_activite"} <= set(mutation)


@pytest.mark.parametrize(
    ("values", "kind", "land", "to_build"),
    [
        ({"code_nature_culture": "T", "surface_terrain": "1"}, TypeMutation.TERRAIN, 1, 0),
        ({"code_nature_culture": "AB", "surface_terrain": "1"}, TypeMutation.TERRAIN_A_BATIR, 1, 1),
    ],
)
def test_one_square_metre_of_land_counts(territoire, tmp_path, values, kind, land, to_build):
    import_path(write(tmp_path, text([row("m", 1000, **values)])))
    m = Mutation.objects.get()
    assert (m.type_mutation, m.surface_terrain, m.surface_terrain_a_batir) == (kind, land, to_build)
