import pytest
from django.core.management import CommandError, call_command

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Commune, Epci, Zone

# Quai des Belges, at the head of the Vieux-Port (the basin itself is outside the land boundary).
VIEUX_PORT = (5.3741, 43.2951)
AIX_ROTONDE = (5.4454, 43.5263)
GOLFE_DU_LION = (5.0500, 43.1500)


def test_metropole_has_its_92_communes_and_real_population(territoire):
    epci = Epci.objects.get(siren="200054807")
    assert epci.nom == "Métropole d'Aix-Marseille-Provence"
    assert epci.type == "ME"
    assert territoire.count() == 92
    assert 1_850_000 < epci.population < 1_950_000
    assert epci.population == sum(territoire.values_list("population", flat=True))
    marseille = Commune.objects.get(insee="13055")
    assert marseille.nom == "Marseille"
    assert marseille.population > 800_000
    assert marseille.geom.srid == 2154
    # The EPCI outline is the union of its communes (about 3 150 km²).
    assert 3_000e6 < epci.geom.area < 3_300e6


@pytest.mark.parametrize(
    ("lon_lat", "insee"),
    [(VIEUX_PORT, "13055"), (AIX_ROTONDE, "13001"), (GOLFE_DU_LION, None)],
    ids=["vieux-port", "aix", "en-mer"],
)
def test_a_point_resolves_to_its_commune(territoire, lon_lat, insee):
    found = list(Commune.objects.containing(*lon_lat).values_list("insee", flat=True))
    assert found == ([insee] if insee else [])


def test_marseille_arrondissements_are_infra_communal_zones(territoire):
    arrondissements = Zone.objects.filter(type=ZoneType.ARRONDISSEMENT)
    assert sorted(arrondissements.values_list("code", flat=True)) == [str(c) for c in range(13201, 13217)]
    assert set(arrondissements.values_list("commune__insee", flat=True)) == {"13055"}
    assert (
        sum(arrondissements.values_list("population", flat=True))
        == Commune.objects.get(insee="13055").population
    )


@pytest.mark.parametrize("code", ["13055", "13201", "13216", "13001", "13 001"])
def test_official_codes_map_to_their_commune(territoire, code):
    expected = "13001" if code.replace(" ", "").endswith("001") else "13055"
    assert Commune.for_official_code(code.replace(" ", "")).insee == expected


def test_unknown_code_maps_to_nothing(territoire):
    assert Commune.for_official_code("99999") is None


def test_reimport_is_idempotent(territoire):
    before = {c.insee: (c.pk, c.population, c.geom.wkb) for c in Commune.objects.all()}
    zones_before = set(Zone.objects.values_list("pk", "code"))
    call_command("import_territoire", epci="200054807", verbosity=0)
    after = {c.insee: (c.pk, c.population, c.geom.wkb) for c in Commune.objects.all()}
    assert after == before
    assert set(Zone.objects.values_list("pk", "code")) == zones_before
    assert Epci.objects.filter(siren="200054807").count() == 1


def test_skip_if_loaded_does_not_touch_rows(territoire, capsys):
    stamp = Commune.objects.get(insee="13055").updated_at
    call_command("import_territoire", epci="200054807", skip_if_loaded=True)
    assert "déjà chargée" in capsys.readouterr().out
    assert Commune.objects.get(insee="13055").updated_at == stamp


def test_unknown_epci_is_rejected_and_nothing_is_written(territoire):
    counts = (Epci.objects.count(), Commune.objects.count(), Zone.objects.count())
    with pytest.raises(CommandError, match="Aucun EPCI de SIREN « 999999999 »"):
        call_command("import_territoire", epci="999999999", verbosity=0)
    assert (Epci.objects.count(), Commune.objects.count(), Zone.objects.count()) == counts


def test_malformed_siren_is_rejected(territoire):
    with pytest.raises(CommandError, match="SIREN invalide"):
        call_command("import_territoire", epci="2000-548", verbosity=0)


def test_another_epci_loads_the_same_way(territoire):
    # Communauté d'agglomération de la Provence Verte (Var): another EPCI, same command.
    call_command("import_territoire", epci="200068104", verbosity=0)
    epci = Epci.objects.get(siren="200068104")
    assert epci.communes.count() > 5
    assert Commune.objects.filter(epci__siren="200054807").count() == 92


@pytest.mark.parametrize(
    ("insee", "nom"),
    [
        ("13028", "La Ciotat"),
        ("13071", "Les Pennes-Mirabeau"),
        ("13088", "Le Rove"),
        ("13084", "La Roque-d'Anthéron"),
    ],
)
def test_commune_names_keep_their_article(territoire, insee, nom):
    assert Commune.objects.get(insee=insee).nom == nom
