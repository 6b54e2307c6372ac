"""DVF indicators are named in correct French: « de » is elided before a vowel."""

from foncier.dvf.indicateurs import ensure_indicateurs
from observatoire.indicateurs.models import Indicateur


def test_sales_indicators_elide_de(territoire):
    ensure_indicateurs()
    names = dict(Indicateur.objects.filter(code__startswith="dvf-ventes-").values_list("code", "libelle"))
    assert names == {
        "dvf-ventes-appartements": "Ventes d'appartements",
        "dvf-ventes-maisons": "Ventes de maisons",
        "dvf-ventes-terrains-a-batir": "Ventes de terrains à bâtir",
    }
