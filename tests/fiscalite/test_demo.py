from fiscalite.demo import load_demo_fiscalite
from observatoire.indicateurs.models import Valeur
from observatoire.observatoires.enums import TypeContenu
from observatoire.observatoires.models import Contenu


def test_demo_loads_through_the_importers_fills_the_indicators_and_is_idempotent(
    territoire, settings, tmp_path
):
    settings.BASE_DIR = tmp_path
    imported = load_demo_fiscalite()
    assert set(imported) == {"rei", "ofgl_comptes", "dgcl_criteres"}
    communes = Valeur.objects.filter(indicateur__code="taux-tfb-commune", commune__isnull=False)
    assert communes.values("commune").distinct().count() == territoire.count()
    for code in [
        "capacite-desendettement",
        "potentiel-financier-par-habitant",
        "produit-fiscal-par-habitant",
    ]:
        assert Valeur.objects.filter(indicateur__code=code).exists(), code
    contenus = Contenu.objects.filter(rubrique__observatoire__slug="fiscalite")
    assert {c.type for c in contenus} == {TypeContenu.TABLEAU_DE_BORD, TypeContenu.CARTE_DYNAMIQUE}
    assert {"/fiscalite/tableau-de-bord/", "/observatoires/fiscalite/tableau-de-bord/"} <= {
        c.url for c in contenus
    }
    assert load_demo_fiscalite() == {} and contenus.count() == 3


def test_a_missing_writer_module_is_skipped(territoire, settings, tmp_path):
    from fiscalite.models import CriteresDotation

    settings.BASE_DIR = tmp_path
    assert load_demo_fiscalite([("fiscalite.demo_absent", CriteresDotation)]) == {}
