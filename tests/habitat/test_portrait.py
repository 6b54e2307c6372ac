from django.core.management import call_command

from habitat.indicateurs import recompute
from observatoire.accounts.enums import Role
from observatoire.indicateurs.models import Indicateur
from observatoire.observatoires.enums import Visibilite
from tests.factories import UserFactory

from .test_sitadel import GOOD, write


def test_portrait_compares_the_commune_with_the_metropolis(client, territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, GOOD))
    recompute()
    response = client.get("/territoires/13001/")
    assert response.status_code == 200
    ligne = next(row for row in response.context["lignes"] if row["indicateur"].code == "logements-autorises")
    assert (ligne["millesime"], ligne["valeur"], ligne["metropole"]) == (2024, 100.0, 100.0)
    assert (ligne["rang"], ligne["nombre"]) == (1, 1)
    assert ligne["evolution"] == [(2023, 150.0), (2024, 100.0)]
    marseille = client.get("/territoires/13055/").context["lignes"]
    assert (
        next(r for r in marseille if r["indicateur"].code == "logements-autorises")["valeur"] is None
    )  # no 2024 row
    content = response.content.decode()
    assert "Aix-en-Provence" in content and "SDES" in content


def test_restricted_indicators_stay_off_the_portrait(client, territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, GOOD))
    recompute()
    Indicateur.objects.filter(code="logements-commences").update(visibilite=Visibilite.AGENTS_ELUS)
    codes = {row["indicateur"].code for row in client.get("/territoires/13001/").context["lignes"]}
    assert codes == {"logements-autorises"}
    client.force_login(UserFactory(role=Role.ELU))
    codes = {row["indicateur"].code for row in client.get("/territoires/13001/").context["lignes"]}
    assert codes == {"logements-autorises", "logements-commences"}


def test_unknown_commune_is_404(client, territoire):
    assert client.get("/territoires/99999/").status_code == 404
