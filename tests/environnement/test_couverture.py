"""Coverage of the communes by the natural areas, against surfaces computed by hand.

Two synthetic square communes side by side in Lambert-93, far from the real territory (their EPCI
makes them part of it for the computation), 10 km × 10 km each (10 000 ha):

    A = [0, 10 km] × [0, 10 km]          B = [10 km, 20 km] × [0, 10 km]

and areas whose overlaps are known: every figure below is worked out in the comments.
"""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from environnement.couverture import STORED, coverage, recompute_couverture
from environnement.enums import TypeEspace
from environnement.indicateurs.espaces import recompute as recompute_indicators
from environnement.models import CouvertureCommune, EspaceNaturel
from observatoire.indicateurs.models import Valeur
from observatoire.territoires.models import Commune, Epci

X0, Y0 = 1_100_000, 6_050_000  # east of Nice, at sea: no real commune there
KM = 1000


def box(x1, y1, x2, y2):
    """A rectangle in km from the synthetic origin, as a Lambert-93 MultiPolygon."""
    return MultiPolygon(
        Polygon.from_bbox((X0 + x1 * KM, Y0 + y1 * KM, X0 + x2 * KM, Y0 + y2 * KM)), srid=2154
    )


def espace(kind, identifiant, geom, millesime=2024):
    return EspaceNaturel.objects.create(
        type=kind, identifiant=identifiant, nom=identifiant, millesime=millesime, geom=geom
    )


@pytest.fixture
def communes(territoire):
    epci = Epci.objects.create(siren="999999999", nom="Synthétique", type="CC")
    a = Commune.objects.create(insee="99001", nom="A", departement="99", epci=epci, geom=box(0, 0, 10, 10))
    b = Commune.objects.create(insee="99002", nom="B", departement="99", epci=epci, geom=box(10, 0, 20, 10))
    return a, b


@pytest.fixture
def areas(communes):
    # ZNIEFF I: two 4 km squares overlapping on 2 km × 2 km: 16 + 16 − 4 = 28 km² = 2 800 ha, in A.
    espace(TypeEspace.ZNIEFF1, "Z1", box(2, 2, 6, 6), millesime=2023)
    espace(TypeEspace.ZNIEFF1, "Z1b", box(4, 4, 8, 8), millesime=2024)
    # ZNIEFF II: 8 km square holding both ZNIEFF I: 64 km² in A.
    espace(TypeEspace.ZNIEFF2, "Z2", box(1, 1, 9, 9))
    # SIC across the border: 6 km × 5 km; 2 × 5 = 10 km² in A, 4 × 5 = 20 km² in B.
    espace(TypeEspace.NATURA_SIC, "S", box(8, 0, 14, 5), millesime=2025)
    # ZPS in B running 5 km out to sea (outside every commune): 2 × 10 = 20 km² in B.
    espace(TypeEspace.NATURA_ZPS, "P", box(10, -5, 12, 10))
    return communes


def part(commune, kind):
    return CouvertureCommune.objects.get(commune=commune, type=kind)


def test_overlapping_zones_of_a_type_are_counted_once(areas):
    a, _ = areas
    recompute_couverture()
    row = part(a, TypeEspace.ZNIEFF1)
    assert row.surface_ha == pytest.approx(2800)
    assert row.part == pytest.approx(28.0)
    assert part(a, TypeEspace.ZNIEFF2).part == pytest.approx(64.0)


def test_a_zone_across_two_communes_is_split_between_them(areas):
    a, b = areas
    recompute_couverture()
    assert part(a, TypeEspace.NATURA_SIC).surface_ha == pytest.approx(1000)
    assert part(b, TypeEspace.NATURA_SIC).surface_ha == pytest.approx(2000)
    assert part(b, TypeEspace.NATURA_SIC).part == pytest.approx(20.0)


def test_what_lies_outside_the_commune_counts_for_nothing(areas):
    _, b = areas
    recompute_couverture()
    assert part(b, TypeEspace.NATURA_ZPS).surface_ha == pytest.approx(2000)


def test_all_types_merged_count_each_place_once(areas):
    a, b = areas
    recompute_couverture()
    # A: ZNIEFF II (64) ∪ ZNIEFF I (inside it) ∪ SIC's 10 km² of which [8, 9] × [1, 5] = 4 km² in the
    # ZNIEFF II: 64 + 10 − 4 = 70 km².
    assert part(a, "").surface_ha == pytest.approx(7000)
    assert part(a, "").part == pytest.approx(70.0)
    # B: SIC [10, 14] × [0, 5] (20) ∪ ZPS [10, 12] × [0, 10] (20), sharing [10, 12] × [0, 5] (10): 30.
    assert part(b, "").part == pytest.approx(30.0)


def test_every_commune_gets_a_row_per_type_zero_included(areas, territoire):
    a, b = areas
    written = recompute_couverture()
    communes = Commune.objects.filter(epci__isnull=False).count()
    assert written == communes * (4 + 1)  # four types present, and all of them merged
    assert CouvertureCommune.objects.count() == written
    assert part(a, TypeEspace.NATURA_ZPS).part == 0
    assert part(b, TypeEspace.ZNIEFF1).surface_ha == 0
    marseille = territoire.get(insee="13055")
    assert part(marseille, "").part == 0
    assert not CouvertureCommune.objects.filter(type=TypeEspace.PNR).exists()


def test_the_millesime_is_the_latest_of_the_layers(areas):
    a, _ = areas
    recompute_couverture()
    assert part(a, TypeEspace.ZNIEFF1).millesime == 2024  # Z1 of 2023, Z1b of 2024
    assert part(a, TypeEspace.ZNIEFF2).millesime == 2024
    assert part(a, "").millesime == 2025  # the SIC layer


def test_each_computation_replaces_the_previous_rows(areas):
    a, _ = areas
    recompute_couverture()
    EspaceNaturel.objects.filter(identifiant="Z1b").delete()
    EspaceNaturel.objects.filter(type=TypeEspace.NATURA_ZPS).delete()
    recompute_couverture()
    assert part(a, TypeEspace.ZNIEFF1).part == pytest.approx(16.0)
    assert part(a, TypeEspace.ZNIEFF1).millesime == 2023
    assert not CouvertureCommune.objects.filter(type=TypeEspace.NATURA_ZPS).exists()
    EspaceNaturel.objects.all().delete()
    assert recompute_couverture() == 0
    assert not CouvertureCommune.objects.exists()


def test_an_invalid_area_written_by_other_means_is_made_valid(communes):
    a, _ = communes
    # A bow-tie over A: two triangles of 5 km × 2.5 km / 2 each, 12.5 km² together once made valid.
    bow_tie = Polygon(
        [(X0, Y0), (X0 + 5 * KM, Y0 + 5 * KM), (X0 + 5 * KM, Y0), (X0, Y0 + 5 * KM), (X0, Y0)], srid=2154
    )
    espace(TypeEspace.RESERVE_NATURELLE, "R", MultiPolygon(bow_tie, srid=2154))
    recompute_couverture()
    assert part(a, TypeEspace.RESERVE_NATURELLE).surface_ha == pytest.approx(1250)
    # A group goes through the same repair.
    rows = {(cid, key): ha for cid, key, _, ha, _ in coverage({"r": (TypeEspace.RESERVE_NATURELLE,)})}
    assert rows[(a.pk, "r")] == pytest.approx(1250)


GROUPS = {
    "natura2000": (TypeEspace.NATURA_SIC, TypeEspace.NATURA_ZPS),
    "znieff": (TypeEspace.ZNIEFF1, TypeEspace.ZNIEFF2),
    "parcs": (TypeEspace.PNR, TypeEspace.PARC_NATIONAL),
}


def test_a_group_of_types_is_merged_by_the_same_computation_without_being_stored(areas):
    a, b = areas
    rows = {(cid, key): (year, ha, share) for cid, key, year, ha, share in coverage(GROUPS)}
    assert not CouvertureCommune.objects.exists()
    # Natura 2000 in A: the SIC's 10 km²; in B: SIC 20 ∪ ZPS 20 sharing 10 = 30 km², as type "" above.
    assert rows[(a.pk, "natura2000")] == (2025, pytest.approx(1000), pytest.approx(10.0))
    assert rows[(b.pk, "natura2000")] == (2025, pytest.approx(3000), pytest.approx(30.0))
    # ZNIEFF in A: the ZNIEFF II (64 km²) holds both ZNIEFF I; none in B, 0 at the group's millésime.
    assert rows[(a.pk, "znieff")] == (2024, pytest.approx(6400), pytest.approx(64.0))
    assert rows[(b.pk, "znieff")] == (2024, 0, 0)
    # No park stored: no row for the group, as no row for an absent type.
    assert not any(key == "parcs" for _, key in rows)


def test_the_stored_rows_are_the_computation_grouped_by_type_and_all(areas):
    recompute_couverture()
    stored = CouvertureCommune.objects.values_list("commune_id", "type", "millesime", "surface_ha", "part")
    assert sorted(coverage(STORED)) == sorted(stored)


def test_group_shares_count_a_commune_meeting_only_an_older_layer_of_the_group(areas):
    a, b = areas
    # A ZNIEFF I of 2023 in B, [12, 14] × [6, 8] = 4 km²: the ZNIEFF millésime stays 2024 (Z1b, Z2).
    espace(TypeEspace.ZNIEFF1, "Z1c", box(12, 6, 14, 8), millesime=2023)
    recompute_couverture()
    recompute_indicators()
    znieff = Valeur.objects.filter(indicateur__code="part-znieff")
    assert {v.millesime: v.valeur for v in znieff.filter(commune=a)} == {2024: pytest.approx(64.0)}
    assert {v.millesime: v.valeur for v in znieff.filter(commune=b)} == {2024: pytest.approx(4.0)}
    # The EPCI of A and B: (6 400 + 400) ha over 20 000 ha.
    assert {v.millesime: v.valeur for v in znieff.filter(epci=a.epci)} == {2024: pytest.approx(34.0)}
    # Natura 2000 as in the group test; any area in B: SIC ∪ ZPS (30 km²) and the ZNIEFF I (4 km²).
    natura = Valeur.objects.filter(indicateur__code="part-natura2000", commune=b)
    assert {v.millesime: v.valeur for v in natura} == {2025: pytest.approx(30.0)}
    tous = Valeur.objects.filter(indicateur__code="part-espaces-naturels", commune=b)
    assert {v.millesime: v.valeur for v in tous} == {2025: pytest.approx(34.0)}
