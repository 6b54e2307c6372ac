"""Every collection of a non-public dataset, present and future, answers only to those its catalogue
record admits, on every way out of /ogc/ (the row gate's rule, ADR 7, for the OGC services)."""

import pytest
from rest_framework.authtoken.models import Token

from gouvernance.enums import Sensibilite
from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from observatoire.ogc.registry import COLLECTIONS, all_collections
from observatoire.opendata.sources import DATASETS
from tests.factories import UserFactory

# From the apps' declarations (the collections built from data, one per public indicator, are public).
RESTRICTED = sorted(
    c.id for c in COLLECTIONS.values() if DATASETS[c.dataset].defaults["sensibilite"] != Sensibilite.PUBLIC
)


def urls(collection):
    base = f"/ogc/collections/{collection.id}"
    yield base
    yield f"{base}/queryables"
    yield f"{base}/items"
    yield f"{base}/items/1"
    if collection.tiles:
        yield f"{base}/tiles/WebMercatorQuad"
        yield f"{base}/tiles/WebMercatorQuad/tilejson.json"
        yield f"{base}/tiles/WebMercatorQuad/15/11948/16814"


def test_the_restricted_collections_are_the_gisements_and_dvf(territoire):
    assert {"gisements", "dvf-mutations"} <= set(RESTRICTED)


@pytest.mark.parametrize("collection_id", RESTRICTED)
def test_a_restricted_collection_refuses_anonymous_and_refused_users_and_logs_the_agents_reads(
    client, territoire, collection_id
):
    collection = all_collections()[collection_id]
    refused = Token.objects.create(user=UserFactory(role=Role.CITOYEN)).key
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    allowed = Token.objects.create(user=agent).key
    for url in urls(collection):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 401, url
        response = client.get(url, HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Token {refused}")
        assert response.status_code == 403, url
        response = client.get(url, HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Token {allowed}")
        assert response.status_code in (200, 204, 404), url  # 404: no feature 1 here
        assert response.status_code != 404 or url.endswith("/items/1"), url
        assert response.get("X-Robots-Tag") == "noindex, nofollow" or response.status_code == 404, url
    reads = Telechargement.objects.filter(jeu__slug=collection.dataset, user=agent, autorise=True)
    assert reads.exists()
    listed = client.get("/ogc/collections", HTTP_ACCEPT="application/json").json()["collections"]
    assert collection_id not in {c["id"] for c in listed}
