"""The demo REI files: each vintage's layout, imported through the real importer, plausible values."""

import time

from fiscalite.demo_rei import write_demo_files
from fiscalite.enums import Element as E
from fiscalite.models import ElementImposition
from observatoire.imports.base import get_importer


def test_demo_files_import_in_their_vintage_layouts(territoire, tmp_path):
    started = time.monotonic()
    files = write_demo_files(tmp_path)
    assert [path.name for _, path in files] == [
        "REI_2019.xlsx", "REI_2020.xlsx", "REI_2021.xlsx", "REI_2022.xlsx", "REI_2023.csv", "REI_2024.csv",
    ]  # fmt: skip
    for kind, path in files:
        summary = get_importer(kind).execute(path)
        assert summary.skipped_outside == 1  # Arles
    assert time.monotonic() - started < 20
    rates = ElementImposition.objects.filter(element=E.TFB_TAUX_COMMUNE)
    assert rates.filter(annee=2020).count() == territoire.count()
    assert all(20 <= r <= 30 for r in rates.filter(annee=2020).values_list("valeur", flat=True))
    assert all(35 <= r <= 46 for r in rates.filter(annee=2024).values_list("valeur", flat=True))
    assert (
        ElementImposition.objects.filter(annee=2024, element=E.THRS_BASE_COMMUNE).count()
        == territoire.count()
    )
    assert not ElementImposition.objects.filter(annee=2024, element=E.TH_BASE_COMMUNE).exists()
    marseille = ElementImposition.objects.get(commune__insee="13055", annee=2023, element=E.TFB_BASE_COMMUNE)
    population = marseille.commune.population
    assert 1_000 * population < marseille.valeur < 2_500 * population * 1.2
    produit = ElementImposition.objects.get(commune__insee="13055", annee=2023, element=E.TFB_PRODUIT_COMMUNE)
    taux = ElementImposition.objects.get(commune__insee="13055", annee=2023, element=E.TFB_TAUX_COMMUNE)
    assert abs(produit.valeur - marseille.valeur * taux.valeur / 100) <= 1
    assert (
        ElementImposition.objects.get(commune__insee="13001", annee=2022, element=E.CFE_TAUX_EPCI).valeur
        == 32.95
    )
    secret = ElementImposition.objects.filter(element=E.TFNB_BASE_COMMUNE, secret=True)
    assert secret.exists() and all(row.commune.population < 600 for row in secret.select_related("commune"))
