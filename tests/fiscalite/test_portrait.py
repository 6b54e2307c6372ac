from fiscalite.indicateurs import recompute
from observatoire.accounts.enums import Role
from observatoire.indicateurs.models import Indicateur
from observatoire.observatoires.enums import Visibilite
from tests.factories import UserFactory


def _bloc(response):
    return next((b for b in response.context["blocs"] if b["slug"] == "fiche-financiere"), None)


def _chiffre(bloc, code):
    return next(c for c in bloc["contexte"]["chiffres"] if c["indicateur"].code == code)


def test_fiche_financiere_appears_with_the_last_year_against_the_metropolis(client, donnees):
    recompute()
    response = client.get("/territoires/13001/")
    bloc = _bloc(response)
    assert bloc is not None
    tfb = _chiffre(bloc, "taux-tfb-commune")
    assert (tfb["annee"], tfb["valeur"], tfb["reference"]) == (2023, 30.0, 35.0)  # median of 30 and 40
    capacite = _chiffre(bloc, "capacite-desendettement")
    assert capacite["valeur"] == 5 and capacite["annee"] == 2023
    potentiel = _chiffre(bloc, "potentiel-financier-par-habitant")
    assert (potentiel["annee"], potentiel["valeur"], round(potentiel["ecart"])) == (2024, 1200, 20)
    assert bloc["contexte"]["annees"] == [2022, 2023, 2024]
    content = response.content.decode()
    assert 'id="bloc-fiche-financiere"' in content and "Fiche financière" in content
    assert "DGFiP" in content and "OFGL" in content and "DGCL" in content
    assert "+20\u00a0% par rapport à la moyenne de la strate" in content.replace("\u202f", "\u00a0")


def test_debt_capacity_says_undefined_when_savings_are_negative(client, donnees):
    recompute()
    response = client.get("/territoires/13002/")
    capacite = _chiffre(_bloc(response), "capacite-desendettement")
    assert capacite["valeur"] is None and capacite["annee"] == 2023
    assert "non définie (épargne brute nulle ou négative)" in response.content.decode()


def test_fiche_financiere_hides_without_data_or_visible_indicators(client, donnees):
    assert _bloc(client.get("/territoires/13001/")) is None  # nothing computed yet
    recompute()
    assert _bloc(client.get("/territoires/13005/")) is None  # a commune without any row
    restricted = Indicateur.objects.filter(observatoire__slug="fiscalite")
    restricted.update(visibilite=Visibilite.AGENTS_ELUS)
    assert _bloc(client.get("/territoires/13001/")) is None
    client.force_login(UserFactory(role=Role.ELU))
    assert _bloc(client.get("/territoires/13001/")) is not None
