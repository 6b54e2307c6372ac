"""Environnement indicators on rows written by hand: every expected value computed in the comments."""

import pytest
from django.db import connection

from environnement.indicateurs import recompute
from environnement.indicateurs.air import kilograms, polluant_dominant, polluant_key
from environnement.indicateurs.base import natural_key
from environnement.indicateurs.risques import famille
from observatoire.indicateurs.models import Indicateur, Valeur


def value(code, commune=None, epci=None, millesime=None):
    qs = Valeur.objects.filter(indicateur__code=code)
    qs = qs.filter(commune=commune) if commune else qs.filter(epci=epci)
    if millesime:
        qs = qs.filter(millesime=millesime)
    return {v.millesime: v.valeur for v in qs}


def test_peril_families_from_gaspar_labels():
    assert famille("Inondations et/ou Coulées de Boue") == "inondations"
    assert famille("Inondations par remontées de nappe phréatique") == "inondations"
    assert famille("Chocs Mécaniques liés à l'action des Vagues") == "inondations"
    assert famille(
        "Mouvements de terrain différentiels consécutifs à la sécheresse et à la réhydratation des sols"
    ) == ("secheresse")
    assert famille("Sécheresse") == "secheresse"
    assert famille("Glissement de terrain") == "mouvements-terrain"
    assert famille("Tempête") == "autres"
    assert famille("Séisme") == "autres"


def test_catnat_counts_distinct_decrees_since_1982_and_2000(environnement):
    aix, marseille, gardanne = environnement["aix"], environnement["marseille"], environnement["gardanne"]
    recompute()
    # Millésime: the latest publication in the base, 2023 (Aix's drought decree).
    assert value("catnat-arretes", aix) == {2023: 3}  # 1990, 2003 (two perils: one decree), 2023
    assert value("catnat-arretes-depuis-2000", aix) == {2023: 2}
    assert value("catnat-arretes", marseille) == {2023: 1}
    assert value("catnat-arretes", gardanne) == {2023: 0}  # its 1981 decree predates the regime
    assert value("catnat-inondations", aix) == {2023: 2}
    assert value("catnat-mouvements-terrain", aix) == {2023: 1}
    assert value("catnat-secheresse", aix) == {2023: 1}
    assert value("catnat-secheresse", marseille) == {2023: 1}  # RGA
    assert value("catnat-autres", aix) == {2023: 0}
    assert value("catnat-dernier-arrete", aix) == {2023: 2023}
    assert value("catnat-dernier-arrete", marseille) == {2023: 2022}
    assert value("catnat-dernier-arrete", gardanne) == {}
    # The EPCI: distinct decrees of its communes, 3 + 1.
    assert value("catnat-arretes", epci=aix.epci) == {2023: 4}
    assert value("catnat-dernier-arrete", epci=aix.epci) == {2023: 2023}


def test_pprn_hazards_approved_and_not_abrogated(environnement):
    aix, marseille = environnement["aix"], environnement["marseille"]
    recompute()
    # Aix: flood (approved) and forest fire (approved); the landslide PPRN was abrogated in 2015.
    # Millésime: the latest date in the PPR base, Marseille's prescription of 2024.
    assert value("pprn-aleas-approuves", aix) == {2024: 2}
    assert value("pprn-aleas-approuves", marseille) == {2024: 0}  # prescribed only; the PPRT is no PPRN
    assert not Valeur.objects.filter(indicateur__code="pprn-aleas-approuves", epci__isnull=False).exists()


def test_degraded_air_days_complete_years_only(environnement):
    aix = environnement["aix"]
    recompute()
    # 2023: 365 days, 2 without an index (event, absent): 363 with one; 10 degraded.
    assert value("atmo-jours-degrade", aix) == {2023: 10}  # 2024 has 200 days only: left out
    assert value("atmo-part-jours-degrade", aix)[2023] == pytest.approx(100 * 10 / 363)
    assert value("atmo-jours-degrade-o3", aix) == {2023: 7}  # 6 + the tie
    assert value("atmo-jours-degrade-pm10", aix) == {2023: 4}  # 3 + the tie
    assert value("atmo-jours-degrade-no2", aix) == {2023: 0}
    assert polluant_dominant(aix.pk, 2023) == ("o3", "O3", 7)
    assert polluant_dominant(aix.pk, 2024) is None


def test_emissions_per_inhabitant_latest_release_only(environnement):
    aix = environnement["aix"]
    recompute()
    # v2024: NOx 300 + 100 t = 400 000 kg; GES total 800 kt CO2e = 800 000 t.
    assert value("emissions-nox-habitant", aix) == {2021: pytest.approx(400_000 / aix.population)}
    assert value("emissions-ges-habitant", aix) == {2021: pytest.approx(800_000 / aix.population)}
    assert value("emissions-pm25-habitant", aix) == {}
    assert value("emissions-nox-habitant", epci=aix.epci) == {}  # Aix alone: no partial EPCI figure


def test_protected_area_shares(environnement):
    aix = environnement["aix"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(geom) / 10000 FROM territoires_commune WHERE id = %s", [aix.pk])
        area = cursor.fetchone()[0]
    assert aix.geom.contains(environnement["big"]) and aix.geom.contains(environnement["shifted"])
    recompute()
    # Any area: read from CouvertureCommune (3 000 ha), millésime 2025.
    assert value("part-espaces-naturels", aix) == {2025: pytest.approx(100 * 3000 / area)}
    # Natura 2000: SIC 100 ha ∪ ZPS 100 ha shifted by half a side = 150 ha; millésime 2025 (the ZPS layer).
    assert value("part-natura2000", aix) == {2025: pytest.approx(100 * 150 / area, rel=1e-6)}
    assert value("part-znieff", aix) == {2025: pytest.approx(100 * 25 / area, rel=1e-6)}
    assert value("part-znieff", environnement["marseille"]) == {2025: 0}


def test_recompute_is_idempotent_and_drops_stale_values(environnement):
    first = recompute()
    assert recompute() == first
    from environnement.models import ArreteCatnat

    ArreteCatnat.objects.filter(cod_nat_catnat="13PREF20230003").delete()
    recompute()
    # The latest publication is now Marseille's 2022: one millésime only, the 2023 values gone.
    assert value("catnat-arretes", environnement["aix"]) == {2022: 2}
    indicateurs = Indicateur.objects.filter(observatoire__slug="environnement")
    assert indicateurs.count() >= 8
    assert indicateurs.get(code="catnat-arretes").dernier_millesime == 2022


def test_units_and_versions():
    assert kilograms(2, "t") == 2000 and kilograms(2, "kt CO2e") == 2e6 and kilograms(2, "kg") == 2
    assert polluant_key("PM2.5") == "pm25" and polluant_key("NOx") == "nox" and polluant_key("SO2") is None
    assert max(["v2023.2", "v2024", "v2023"], key=natural_key) == "v2024"
    assert max(["2023.10", "2023.9"], key=natural_key) == "2023.10"
