"""Open311 filing by ``address_string`` through the national address API (ADRESSE_API_URL).

The address API is an internet service: here, and only here, it is replaced by a real HTTP server
on loopback answering the hand-written BAN answers of ``fixtures/ban/`` (``ban_server.py``).
Database, cache and the rest of the filing path are the real ones.
"""

import json

import pytest
from django.test import Client

from observatoire.territoires.models import Commune
from signalements.enums import Ouverture
from signalements.models import ApiKey, Signalement

from .ban_server import serving

BASE = "/open311/v2"
MARSEILLE_QUAI = "2 Quai du Port 13002 Marseille"


@pytest.fixture
def ban(settings):
    with serving() as fake:
        settings.ADRESSE_API_URL = fake.url
        settings.ADRESSE_API_TIMEOUT = 2
        yield fake


@pytest.fixture
def api_key():
    return ApiKey.objects.create(name="Application « Ma rue propre »")


@pytest.fixture
def aubagne(territoire):
    return Commune.objects.get(insee="13005")


@pytest.fixture
def proprete_partout(marseille_setup, categories, open_category, aix, aubagne):
    for commune in (aix, aubagne):
        open_category(commune, categories["proprete"], Ouverture.TOUS)


def post(client, api_key, fmt="json", headers=None, **data):
    payload = {
        "api_key": api_key.key,
        "service_code": "proprete",
        "description": "Sacs poubelle éventrés sur le trottoir.",
        **data,
    }
    return client.post(f"{BASE}/requests.{fmt}", payload, headers=headers or {})


def error_of(response, status):
    assert response.status_code == status, response.content
    [error] = json.loads(response.content)
    assert error["code"] == status
    return error["description"]


def filed(response):
    assert response.status_code == 200, response.content
    [answer] = json.loads(response.content)
    return Signalement.objects.get(pk=int(answer["service_request_id"]))


def lonlat(report):
    point = report.geom.transform(4326, clone=True)
    return round(point.x, 5), round(point.y, 5)


def test_an_address_alone_files_at_the_address_with_its_label(client, proprete_partout, api_key, ban):
    report = filed(post(client, api_key, address_string="2 quai du port   Marseille"))
    assert lonlat(report) == (5.36978, 43.29644)
    assert report.commune.insee == "13055"
    assert report.adresse == MARSEILLE_QUAI
    [query] = ban.queries
    assert query["q"] == "2 quai du port Marseille"
    assert query["limit"] == "5"
    assert "citycode" not in query
    assert 43.15 < float(query["lat"]) < 43.75 and 4.70 < float(query["lon"]) < 5.85  # biased to us
    # The requests output gives the BAN's label as the address.
    [request] = client.get(f"{BASE}/requests/{report.pk}.json").json()
    assert request["address"] == MARSEILLE_QUAI
    assert (request["lat"], request["long"]) == (43.2964, 5.3698)


def test_a_jurisdiction_restricts_the_search_to_its_commune(client, proprete_partout, api_key, ban):
    report = filed(
        post(
            client,
            api_key,
            address_string="Place de l'Hotel de Ville Aix-en-Provence",
            jurisdiction_id="13001",
        )
    )
    assert report.commune.insee == "13001"
    assert report.adresse == "Place de l'Hôtel de Ville 13100 Aix-en-Provence"
    assert ban.queries[0]["citycode"] == "13001"


def test_an_address_of_another_commune_than_the_jurisdiction_is_not_found(
    client, proprete_partout, api_key, ban
):
    response = post(client, api_key, address_string="2 quai du port marseille", jurisdiction_id="13001")
    assert "Adresse introuvable à Aix-en-Provence" in error_of(response, 400)
    assert not Signalement.objects.exists()


def test_marseille_is_searched_near_it_since_the_ban_codes_it_by_arrondissement(
    client, proprete_partout, api_key, ban
):
    # Found in three communes; the jurisdiction keeps Marseille's, whose BAN code is 13202.
    report = filed(post(client, api_key, address_string="rue de la republique", jurisdiction_id="13055"))
    assert report.adresse == "Rue de la République 13002 Marseille"
    [query] = ban.queries
    assert "citycode" not in query
    assert abs(float(query["lon"]) - 5.4) < 0.2 and abs(float(query["lat"]) - 43.3) < 0.1


def test_an_ambiguous_address_is_refused_with_the_candidates(client, proprete_partout, api_key, ban):
    description = error_of(post(client, api_key, address_string="rue de la republique"), 400)
    assert "plusieurs lieux" in description
    assert "Rue de la République 13002 Marseille" in description
    assert "Rue de la République 13400 Aubagne" in description
    assert "Martigues" not in description  # far below the best score: not a real rival
    assert not Signalement.objects.exists()
    # Named, the commune settles it: the BAN is asked for Aubagne's addresses only.
    report = filed(post(client, api_key, address_string="rue de la republique", jurisdiction_id="13005"))
    assert report.commune.insee == "13005"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("chemin qui n'existe nulle part", "Adresse introuvable dans la métropole"),
        ("12 impasse des oliviers du vallon", "Adresse introuvable dans la métropole"),  # score 0.41
        ("8 bd du port", "« 8 Boulevard du Port 80000 Amiens ») n'est pas dans la métropole"),
        ("Martigues", "désigne toute une commune"),
        ("ab", "de 3 à 200 caractères"),
    ],
)
def test_addresses_giving_no_single_place_are_400_in_french(
    client, proprete_partout, api_key, ban, address, expected
):
    for fmt in ("json", "xml"):
        response = post(client, api_key, fmt=fmt, address_string=address)
        assert response.status_code == 400
        assert expected.encode() in response.content
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>400<')
    assert not Signalement.objects.exists()


@pytest.mark.parametrize("mode", ["down", "slow"])
def test_address_api_down_or_slow_is_503_and_files_nothing(
    client, proprete_partout, api_key, ban, settings, mode
):
    ban.mode = mode
    settings.ADRESSE_API_TIMEOUT = 0.3
    description = error_of(post(client, api_key, address_string="2 quai du port marseille"), 503)
    assert "ne répond pas" in description
    assert "lat et long" in description
    assert not Signalement.objects.exists()


def test_lat_and_long_win_over_the_address_and_the_api_is_not_asked(client, proprete_partout, api_key, ban):
    report = filed(
        post(client, api_key, lat="43.2951", long="5.3741", address_string="2 quai du port marseille")
    )
    assert ban.queries == []
    assert report.adresse == ""  # free text from a client is no verified address


def test_without_point_or_address_the_message_names_both(client, proprete_partout, api_key, ban):
    description = error_of(post(client, api_key, address_id="13202_7522_00002"), 400)
    assert "lat et long" in description and "address_string" in description
    assert ban.queries == []


def test_without_the_setting_the_address_is_not_geocoded(client, proprete_partout, api_key, settings):
    settings.ADRESSE_API_URL = ""
    description = error_of(post(client, api_key, address_string="2 quai du port marseille"), 400)
    assert "lat et long sont obligatoires" in description


def test_a_retry_with_the_same_key_gets_the_same_report(client, proprete_partout, api_key, ban):
    key = {"Idempotency-Key": "3f1c9a2e-adresse"}
    first = post(client, api_key, headers=key, address_string="2 quai du port marseille")
    again = post(Client(), api_key, headers=key, address_string="2 quai du port marseille")
    assert first.content == again.content
    assert Signalement.objects.count() == 1
