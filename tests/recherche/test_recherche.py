"""The site search: French, with synonyms, grouped by kind, focused on a commune the query names."""

import pytest
from django.urls import reverse

from observatoire.accounts.enums import Role
from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Rubrique
from tests.factories import UserFactory

URL = reverse("recherche:resultats")


def _groups(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response, {group.key: group for group in response.context["groups"]}


def _titles(group):
    return [result.title for result in group.results]


def test_prix_immobilier_aix_focuses_on_aix_with_its_latest_prices(client, contenus_recherche):
    response, groups = _groups(client, "prix immobilier Aix")
    assert list(groups) == ["communes", "indicateurs", "jeux"]
    assert _titles(groups["communes"]) == ["Aix-en-Provence"]
    # The two median prices first; the sales count (found through its source, « valeurs
    # foncières », a synonym of « prix ») after them.
    assert set(_titles(groups["indicateurs"])[:2]) == {
        "Prix médian au m² des appartements",
        "Prix médian au m² des maisons",
    }
    assert _titles(groups["indicateurs"])[2:] == ["Ventes de maisons"]
    appartements = next(r for r in groups["indicateurs"].results if "appartements" in r.title)
    assert appartements.figures == [("Aix-en-Provence", "5\u202f104 €/m² (2024)")]  # 2024, not 2021
    assert appartements.url.endswith("?indicateur=dvf-prix-m2-appartements&territoire=13001")
    html = response.content.decode()
    assert 'href="/territoires/13001/"' in html and "Portrait d&#x27;Aix-en-Provence" in html
    assert "pour la commune de\n      <strong>Aix-en-Provence</strong>" in html
    # The dataset of values is public; the DVF mutations are not published in open data.
    assert _titles(groups["jeux"]) == ["Indicateurs des observatoires par commune"]


def test_prix_alone_finds_prices_through_synonyms_and_no_commune(client, contenus_recherche):
    _, groups = _groups(client, "prix")
    assert "communes" not in groups
    titles = _titles(groups["indicateurs"])
    assert "Prix médian au m² des appartements" in titles
    assert "Prix des loyers privés (agents)" not in titles  # agents only
    assert "Parc locatif social par commune" in _titles(groups["jeux"])  # « loyer »
    assert all(result.figures == [] for result in groups["indicateurs"].results)


def test_agents_see_their_indicators_and_the_meta_catalogue(client, contenus_recherche):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    _, groups = _groups(client, "prix")
    assert "Prix des loyers privés (agents)" in _titles(groups["indicateurs"])
    dvf = next(r for r in groups["jeux"].results if r.title.startswith("Demandes de valeurs foncières"))
    assert dvf.url == reverse("acces:jeu", kwargs={"slug": "dvf-mutations"})


def test_logement_social_marseille(client, contenus_recherche):
    _, groups = _groups(client, "logement social Marseille")
    assert _titles(groups["communes"]) == ["Marseille"]
    assert _titles(groups["indicateurs"])[0] == "Logements sociaux"
    assert groups["indicateurs"].results[0].figures == [("Marseille", "85\u202f000 logements (2024)")]
    assert _titles(groups["jeux"])[0] == "Parc locatif social par commune"
    assert "Observatoire de l'habitat" in _titles(groups["contenus"])


def test_a_missing_value_is_said_not_shown_as_a_dash(client, contenus_recherche):
    _, groups = _groups(client, "prix maisons Marseille")
    maisons = groups["indicateurs"].results[0]
    assert maisons.title == "Prix médian au m² des maisons"
    assert maisons.figures == [("Marseille", "pas de valeur publiée pour cette commune")]


def test_accents_and_case_do_not_matter(client, contenus_recherche):
    _, accented = _groups(client, "Métropole")
    _, plain = _groups(client, "METROPOLE")
    assert [(k, g.count) for k, g in accented.items()] == [(k, g.count) for k, g in plain.items()]
    assert "Communes de la métropole : contours et population" in _titles(accented["jeux"])


def test_pages_of_the_portal_are_found(client, territoire):
    _, groups = _groups(client, "signaler voirie")
    assert _titles(groups["pages"])[0] == "Signaler un problème dans l'espace public"
    _, groups = _groups(client, "api")
    assert groups["pages"].results[0].url == reverse("api-docs")


@pytest.mark.parametrize("q", ["a", " é ", "l'"])
def test_too_short_says_so(client, territoire, q):
    response = client.get(URL, {"q": q})
    assert response.context["groups"] == []
    assert "Saisissez au moins 2 lettres ou chiffres" in response.content.decode()


def test_empty_query_suggests_examples(client, territoire):
    html = client.get(URL).content.decode()
    assert "Que cherchez-vous ?" in html and "?q=prix+immobilier+Aix" in html


def test_nul_and_operators_are_plain_text(client, contenus_recherche):
    # A NUL byte is refused by the portal's parameter guard, in French, as on every page.
    response = client.get(URL, {"q": "prix\x00"})
    assert response.status_code == 400 and "Requête invalide" in response.content.decode()
    assert client.get(URL, {"q": "'; drop table x; --"}).status_code == 200
    for q in ["prix & | ! :* (", "prix:* & !immobilier"]:  # tsquery operators are only punctuation
        response = client.get(URL, {"q": q})
        assert response.status_code == 200 and response.context["groups"]


def test_no_result_helps(client, territoire):
    html = client.get(URL, {"q": "zzzxxy"}).content.decode()
    assert "Aucun résultat pour « zzzxxy »" in html


def test_query_count_does_not_grow_with_results(client, contenus_recherche, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get(URL, {"q": "prix immobilier Aix"})


def test_the_header_has_a_labelled_search_box(client, territoire):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and f'action="{URL}"' in html
    assert '<label for="recherche-site"' in html and "Lancer la recherche" in html


@pytest.mark.parametrize(
    ("role", "sees"), [(None, False), (Role.CITOYEN, False), (Role.AGENT_METROPOLITAIN, True)]
)
def test_contents_follow_their_audience_and_the_row_gate_of_what_they_show(client, territoire, role, sees):
    rubrique = Rubrique.objects.get(observatoire__slug="foncier", slug="gisements")
    common = {"rubrique": rubrique, "type": TypeContenu.CARTE_DYNAMIQUE}
    # Public audience, but it shows the restricted gisements inventory: only those the dataset admits.
    Contenu.objects.create(titre="Carte des gisements fonciers", url="/foncier/gisements/", **common)
    Contenu.objects.create(
        titre="Gisements : note interne", url="/foncier/zan/", visibilite=Visibilite.AGENTS_ELUS, **common
    )
    Contenu.objects.create(titre="Gisements : carte publique", url="/foncier/zan/", **common)
    if role:
        client.force_login(UserFactory(role=role))
    _, groups = _groups(client, "gisements")
    titles = _titles(groups["contenus"])
    assert "Gisements : carte publique" in titles
    assert ("Carte des gisements fonciers" in titles) is sees
    assert ("Gisements : note interne" in titles) is sees
