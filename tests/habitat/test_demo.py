from habitat.demo import load_demo_habitat
from observatoire.indicateurs.models import Valeur


def test_demo_file_goes_through_the_importer(territoire, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    imported = load_demo_habitat()
    assert imported == 92 * 11 * 4  # communes (Marseille from its arrondissements) × years × kinds
    assert (tmp_path / "var" / "demo" / "sitadel_communes.csv").read_text().startswith("ANNEE;COMM;TYPE_LGT")
    marseille = Valeur.objects.get(
        indicateur__code="logements-autorises", commune__insee="13055", millesime=2024
    )
    assert marseille.valeur > 1000  # ~870 000 inhabitants
    assert load_demo_habitat() == 0
