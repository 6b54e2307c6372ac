"""The environnement pages' database cost does not grow with the data: a fixed number of queries
(the decrees filtered in the database, one query per table of values)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from environnement.indicateurs import recompute
from environnement.portrait_blocks import context
from tests.environnement.test_pages import pages  # noqa: F401  (the pages' data)


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        # EPCI, decrees, air days, coverage, land consumption (2), the form's communes.
        ("/environnement/tableau-de-bord/", {}, 7),
        ("/environnement/tableau-de-bord/", {"commune": "13001"}, 7),
        # Communes, their risk values with the millésime, PPRN.
        ("/environnement/carte-risques/", {}, 3),
        # Coverage by type, coverage values, areas.
        ("/environnement/carte-espaces-naturels/", {}, 3),
    ],
)
def test_pages_take_a_fixed_number_of_queries(pages, django_assert_max_num_queries, url, params, queries):  # noqa: F811
    pages.get(url, params)  # sessions, content types… warmed
    with django_assert_max_num_queries(queries):
        assert pages.get(url, params).status_code == 200


def test_portrait_block_in_four_queries(environnement, django_assert_max_num_queries):
    recompute()
    user = AnonymousUser()
    # Visible indicators, their values with the pollutants' days, the last decree, PPRN hazards.
    with django_assert_max_num_queries(4):
        contexte = context(environnement["aix"], user)
    assert contexte["dernier_arrete"] and contexte["aleas"] and contexte["polluant"]


def test_portrait_block_of_a_portal_without_environment_indicators_in_one_query(
    territoire, django_assert_num_queries
):
    aix = territoire.get(insee="13001")
    with django_assert_num_queries(1):  # the visible indicators: none, nothing else is asked
        assert context(aix, AnonymousUser()) is None
