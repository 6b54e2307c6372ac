"""The « Environnement » block of the commune portrait."""

from environnement.indicateurs import recompute
from environnement.portrait_blocks import context


def test_block_with_the_latest_figures(environnement, client):
    recompute()
    aix = environnement["aix"]
    from django.contrib.auth.models import AnonymousUser

    contexte = context(aix, AnonymousUser())
    lignes = {r["indicateur"].code: (r["annee"], r["valeur"]) for r in contexte["lignes"]}
    assert lignes["catnat-arretes"] == (2023, 3)
    units = {r["indicateur"].code: r["unite"] for r in contexte["lignes"]}
    assert (units["catnat-arretes"], units["catnat-arretes-depuis-2000"]) == ("arrêtés", "arrêtés")
    assert units["pprn-aleas-approuves"] == "aléas" and units["part-natura2000"] == "%"
    marseille = context(environnement["marseille"], AnonymousUser())["lignes"]
    assert next(r["unite"] for r in marseille if r["indicateur"].code == "catnat-arretes") == "arrêté"  # one
    assert lignes["catnat-dernier-arrete"] == (2023, 2023)
    assert lignes["pprn-aleas-approuves"] == (2024, 2)
    assert lignes["atmo-jours-degrade"] == (2023, 10)
    assert contexte["dernier_arrete"]["perils"] == ["Sécheresse"]
    assert contexte["aleas"] == ["Feu de forêt", "Inondation"]
    assert contexte["polluant"] == ("o3", "O3", 7)
    html = client.get("/territoires/13001/").content.decode()
    assert 'id="bloc-environnement"' in html and "Dernier arrêté de catastrophe naturelle publié le" in html


def test_no_block_without_figures(territoire, client):
    from django.contrib.auth.models import AnonymousUser

    assert context(territoire.get(insee="13001"), AnonymousUser()) is None
    assert 'id="bloc-environnement"' not in client.get("/territoires/13001/").content.decode()


def test_last_decree_dated_as_the_indicator_dates_it(environnement):
    """A decree without its Journal officiel date counts from its own date, in the block as in the
    indicator ``catnat-dernier-arrete``."""
    from datetime import date

    from django.contrib.auth.models import AnonymousUser

    from environnement.models import ArreteCatnat
    from tests.environnement.conftest import catnat

    aix = environnement["aix"]
    unpublished = catnat(aix, "13PREF20240006", "Grêle", None)  # no dat_pub_jo
    ArreteCatnat.objects.filter(pk=unpublished.pk).update(dat_pub_arrete=date(2024, 3, 1))
    recompute()
    contexte = context(aix, AnonymousUser())
    lignes = {r["indicateur"].code: r["valeur"] for r in contexte["lignes"]}
    assert lignes["catnat-dernier-arrete"] == 2024
    assert contexte["dernier_arrete"] == {"date": date(2024, 3, 1), "perils": ["Grêle"]}
