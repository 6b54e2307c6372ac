"""The environnement demo: its files through the importers, the indicators and the contents, twice."""

from environnement.demo import load_demo_environnement
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.observatoires.models import Contenu


def test_demo_loads_through_the_importers_and_is_idempotent(territoire, tmp_path):
    first = load_demo_environnement(tmp_path)
    values = Valeur.objects.filter(indicateur__observatoire__slug="environnement").count()
    contents = Contenu.objects.filter(rubrique__observatoire__slug="environnement").count()
    assert contents >= 5
    assert load_demo_environnement(tmp_path).keys() == first.keys()
    assert Valeur.objects.filter(indicateur__observatoire__slug="environnement").count() == values
    assert Contenu.objects.filter(rubrique__observatoire__slug="environnement").count() == contents
    with_values = Indicateur.objects.filter(
        observatoire__slug="environnement", valeurs__isnull=False
    ).distinct()
    assert with_values.count() >= 20  # every indicator but a family without decree has values
