"""The French query language: normalisation, synonyms and the communes named in a query."""

from types import SimpleNamespace

import pytest

from observatoire.core import textsearch
from observatoire.recherche.sources import of_commune
from observatoire.territoires.names import find_places, places_in


def test_normalize_strips_accents_case_punctuation_and_nul():
    assert textsearch.words("Prix\x00 à l'Aix-en-Provence, « Métropole » m²") == [
        "prix", "a", "l", "aix", "en", "provence", "metropole", "m2",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("word", "expected"),
    [("prix", "prix"), ("logements", "logements"), ("immobiliers", "immobiliers"), ("voirie", "voirie")],
)
def test_a_word_keeps_itself_first(word, expected):
    assert textsearch.synonyms(word)[0] == expected


def test_plurals_find_their_synonym_group():
    assert {"habitat", "logement"} <= set(textsearch.synonyms("logements"))
    assert {"valeur", "cout"} <= set(textsearch.synonyms("prix"))
    assert {"foncier", "dvf"} <= set(textsearch.synonyms("immobiliers"))
    assert textsearch.synonyms("voirie") == ("voirie",)


def test_raw_tsquery_ands_groups_and_drops_elisions():
    assert textsearch.raw_tsquery(["l", "velo"]) == "(velo | cyclable)"
    assert textsearch.raw_tsquery(["d", "l"]) == ""
    assert textsearch.tsquery(["a"]) is None
    assert textsearch.raw_tsquery(["prix", "velo"], expand=False) == "prix | velo"


def _communes(*names):
    return [SimpleNamespace(insee=f"13{index:03d}", nom=nom) for index, nom in enumerate(names, 1)]


def test_places_prefix_of_first_words_and_longest_match():
    communes = _communes("Aix-en-Provence", "Salon-de-Provence", "Saint-Chamas", "Saint-Cannat", "La Ciotat")
    places = find_places(textsearch.words("prix immobilier Aix"), communes)
    assert [c.nom for c in places.communes] == ["Aix-en-Provence"] and places.other_words == [
        "prix",
        "immobilier",
    ]
    assert places.focus.nom == "Aix-en-Provence"
    assert find_places(["salon", "de", "provence", "logement"], communes).other_words == ["logement"]
    ambiguous = find_places(["saint"], communes)
    assert len(ambiguous.communes) == 2 and ambiguous.focus is None
    assert find_places(["la"], communes).communes == []  # an article alone names nothing
    assert find_places(["logement", "la", "ciot"], communes).focus.nom == "La Ciotat"  # typed half-way


def test_places_in_the_real_territory(territoire):
    assert places_in(["13001"]).focus.nom == "Aix-en-Provence"
    assert places_in(["marseille"]).focus.nom == "Marseille"
    assert places_in(["metropole"]).communes == []


@pytest.mark.parametrize(
    ("nom", "expected"),
    [
        ("Marseille", "de Marseille"),
        ("Aix-en-Provence", "d'Aix-en-Provence"),
        ("Éguilles", "d'Éguilles"),
        ("Le Rove", "du Rove"),
        ("Les Pennes-Mirabeau", "des Pennes-Mirabeau"),
        ("La Ciotat", "de La Ciotat"),
    ],
)
def test_of_commune_elides_and_contracts(nom, expected):
    assert of_commune(nom) == expected
