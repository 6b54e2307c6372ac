"""The fiscalite recompute task, coalesced: one run serves the imports committed before it started."""

import time

from fiscalite.tasks import recompute_indicators
from observatoire.core.coalesce import COALESCED
from observatoire.indicateurs.models import Valeur


def test_recomputes_asked_before_a_run_are_served_by_it(donnees):
    valeurs = Valeur.objects.filter(indicateur__observatoire__slug="fiscalite")
    # Two imports committed, each asking for a recompute, before any worker took one.
    first_asked = second_asked = time.time() - 10
    assert recompute_indicators.apply((first_asked,)).get() > 0
    written = valeurs.count()
    assert written > 0

    valeurs.delete()
    assert recompute_indicators.apply((second_asked,)).get() == COALESCED
    assert not valeurs.exists()

    # An import committed after that run started is recomputed.
    assert recompute_indicators.apply((time.time(),)).get() > 0
    assert valeurs.count() == written


def test_a_recompute_without_a_time_always_runs(donnees):
    valeurs = Valeur.objects.filter(indicateur__observatoire__slug="fiscalite")
    assert recompute_indicators() > 0
    valeurs.delete()
    assert recompute_indicators() > 0
    assert valeurs.exists()
