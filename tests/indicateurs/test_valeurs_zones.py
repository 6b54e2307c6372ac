"""Values of infra-communal zones (QPV, arrondissements) through the values API, JSON and CSV."""

from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.territoires.models import Zone

URL = "/api/v1/indicateurs/prix-test/valeurs/"


def test_zone_values_are_listed_filtered_and_exported(client, marseille):
    indicateur = Indicateur.objects.ensure(
        "prix-test",
        libelle="Prix test",
        unite="€/m²",
        definition="Test.",
        source="Test",
        niveaux=["commune", "zone"],
    )
    qpv = Zone.objects.create(
        type="QPV", code="QN01301M", nom="Quartier test", commune=marseille, geom=marseille.geom
    )
    Valeur.objects.upsert(
        [Valeur(indicateur=indicateur, commune=marseille, millesime=2023, valeur=3500),
         Valeur(indicateur=indicateur, zone=qpv, millesime=2023, valeur=2100)]
    )  # fmt: skip
    rows = client.get(URL).json()["valeurs"]
    assert {"territoire": "QN01301M", "nom": "Quartier test", "niveau": "zone QPV", "millesime": 2023,
            "valeur": 2100.0} in rows  # fmt: skip
    assert [r["territoire"] for r in client.get(URL, {"niveau": "zone"}).json()["valeurs"]] == ["QN01301M"]
    assert [r["valeur"] for r in client.get(URL, {"territoire": "QN01301M"}).json()["valeurs"]] == [2100.0]
    assert (
        "QN01301M,Quartier test,zone QPV,2023,2100.0" in client.get(URL, {"format": "csv"}).content.decode()
    )
    error = client.get(URL, {"niveau": "iris"})
    assert error.status_code == 400 and "Niveau attendu" in error.json()["errors"]["niveau"][0]
