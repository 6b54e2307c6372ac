"""Place search: communes offline; the national address API (an internet service) is replaced in
these tests by a small fake BAN served over HTTP on loopback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

URL = "/api/v1/territoire/recherche/"


@pytest.mark.parametrize(
    ("query", "first"),
    [("aix", "Aix-en-Provence"), ("CHATEAUNEUF", "Châteauneuf-le-Rouge"), ("la ciotat", "La Ciotat")],
)
def test_offline_search_finds_communes_without_accents_or_case(client, territoire, query, first):
    body = client.get(URL, {"q": query}).json()
    assert body["source"] == "communes"
    assert body["results"][0]["label"] == f"{first} (commune)"
    assert 43.1 < body["results"][0]["lat"] < 43.8


def test_short_or_missing_query(client, territoire):
    assert client.get(URL, {"q": "ai"}).json()["results"] == []
    response = client.get(URL)
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


class FakeBan(BaseHTTPRequestHandler):
    """Answers like api-adresse.data.gouv.fr/search/: one address in Marseille's 1st, one in Lyon."""

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        if query.get("q") == ["panne"]:
            self.send_response(500)
            self.end_headers()
            return
        features = [
            {
                "geometry": {"type": "Point", "coordinates": [5.3768, 43.2965]},
                "properties": {
                    "label": "2 Quai du Port 13002 Marseille",
                    "citycode": "13202",
                    "type": "housenumber",
                },
            },
            {
                "geometry": {"type": "Point", "coordinates": [4.8357, 45.764]},
                "properties": {
                    "label": "2 Quai du Port 69001 Lyon",
                    "citycode": "69381",
                    "type": "housenumber",
                },
            },
        ]
        body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_ban(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ADRESSE_API_URL = f"http://127.0.0.1:{server.server_port}/search/"
    yield
    server.shutdown()
    server.server_close()


def test_address_search_keeps_places_of_the_territory(client, territoire, fake_ban):
    body = client.get(URL, {"q": "2 quai du port"}).json()
    assert body["source"] == "adresses"
    assert [r["label"] for r in body["results"]] == ["2 Quai du Port 13002 Marseille"]
    assert body["results"][0]["insee"] == "13055"  # arrondissement code mapped to the commune


def test_address_api_failure_falls_back_to_communes(client, territoire, fake_ban):
    body = client.get(URL, {"q": "panne"}).json()
    assert body["source"] == "communes"
