"""The public map and its GeoJSON: anyone may read them, so no personal data may leak."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.utils import timezone

from signalements import services
from signalements.dashboard import geojson
from signalements.enums import RejectionReason, Status
from signalements.models import Signalement

from .conftest import AIX_CENTRE, VIEUX_PORT

URL = "/signalements/carte/signalements.geojson"
PAGE = "/signalements/carte/"
PERSONAL_KEYS = {"reporter", "reporter_email", "reporter_ip", "email", "ip", "token", "adresse"}


@pytest.fixture
def filed(marseille_setup, categories):
    """Three citizen reports at the Vieux-Port, with e-mails and IP addresses."""
    return [
        services.file_signalement(
            user=AnonymousUser(),
            categorie=categories["proprete"],
            description=f"Texte non relu numéro {i}, chez mon voisin M. Martin.",
            email=f"habitant{i}@exemple.fr",
            ip="203.0.113.7",
            **VIEUX_PORT,
        )
        for i in range(3)
    ]


def direct(commune, categorie, place, status=Status.NOUVEAU, **extra):
    point = Point(place["lon"], place["lat"], srid=4326)
    point.transform(2154)
    return Signalement.objects.create(
        commune=commune, categorie=categorie, geom=point, description="Relu.", status=status, **extra
    )


def features(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["features"]


def test_geojson_has_no_personal_data(client, filed):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.content.decode()
    for report in filed:
        assert report.reporter_email not in body and report.token not in body
    assert "203.0.113.7" not in body and "exemple.fr" not in body
    data = json.loads(body)
    assert data["type"] == "FeatureCollection" and data["truncated"] is False
    for feature in data["features"]:
        assert not PERSONAL_KEYS & set(feature["properties"])
        assert set(feature["properties"]) == {
            "id",
            "reference",
            "categorie",
            "status",
            "status_label",
            "created_at",
        }


def test_properties_and_geometry(client, filed):
    first = filed[0]
    feature = next(f for f in features(client) if f["id"] == first.pk)
    assert feature["properties"] == {
        "id": first.pk,
        "reference": first.reference,
        "categorie": "Propreté",
        "status": "nouveau",
        "status_label": "Nouveau",
        "created_at": timezone.localdate(first.created_at).isoformat(),
    }
    lon, lat = feature["geometry"]["coordinates"]
    assert abs(lon - VIEUX_PORT["lon"]) < 1e-5 and abs(lat - VIEUX_PORT["lat"]) < 1e-5
    assert re.fullmatch(r"S-\d{4}-\d{6}", feature["properties"]["reference"])


def test_description_only_once_triaged(client, filed):
    assert "Texte non relu" not in client.get(URL).content.decode()
    Signalement.objects.filter(pk=filed[1].pk).update(description_validee=True)
    described = [f for f in features(client) if "description" in f["properties"]]
    assert [f["id"] for f in described] == [filed[1].pk]
    assert described[0]["properties"]["description"].startswith("Texte non relu numéro 1")


def test_status_filter(client, filed, marseille):
    Signalement.objects.filter(pk=filed[0].pk).update(status=Status.RESOLU)
    Signalement.objects.filter(pk=filed[1].pk).update(status=Status.CLOS)
    Signalement.objects.filter(pk=filed[2].pk).update(status=Status.DOUBLON)
    assert {f["id"] for f in features(client, status="resolus")} == {filed[0].pk, filed[1].pk}
    assert features(client, status="ouverts") == []
    # "tous" leaves out duplicates and rejected reports; it is also the default.
    assert {f["id"] for f in features(client, status="tous")} == {filed[0].pk, filed[1].pk}
    assert len(features(client)) == 2


def test_spam_never_appears(client, filed):
    Signalement.objects.filter(pk=filed[0].pk).update(rejection_reason=RejectionReason.SPAM)
    assert filed[0].pk not in {f["id"] for f in features(client)}


def test_category_commune_and_bbox_filters(client, filed, aix, categories):
    voirie = direct(filed[0].commune, categories["voirie"], VIEUX_PORT)
    in_aix = direct(aix, categories["proprete"], AIX_CENTRE)
    assert {f["id"] for f in features(client, categorie="voirie")} == {voirie.pk}
    assert {f["id"] for f in features(client, commune="13001")} == {in_aix.pk}
    around_vieux_port = "5.36,43.29,5.39,43.30"
    assert {f["id"] for f in features(client, bbox=around_vieux_port)} == {r.pk for r in [*filed, voirie]}
    assert {f["id"] for f in features(client, bbox="5.43,43.51,5.46,43.54")} == {in_aix.pk}
    # Far away, or the whole world: no error, the territory is simply clipped.
    assert features(client, bbox="2.2,48.8,2.4,48.9") == []
    assert len(features(client, bbox="-180,-90,180,90")) == 5


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"bbox": "5,43"}, "bbox"),
        ({"bbox": "5.4,43.3,5.3,43.4"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "nan,43,5,44"}, "bbox"),
        ({"bbox": "5,43,200,44"}, "bbox"),
        ({"status": "fermes"}, "status"),
        ({"categorie": "inconnue"}, "categorie"),
        ({"commune": "99999"}, "commune"),
    ],
)
def test_bad_parameters_give_a_french_400(client, territoire, params, word):
    response = client.get(URL, params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert word in detail and "Paramètre" in detail


def test_truncation_is_said(filed):
    data = json.loads(geojson.feature_collection(cap=2))
    assert data["truncated"] is True and data["limit"] == 2
    # The most recent are kept.
    assert [f["id"] for f in data["features"]] == [filed[2].pk, filed[1].pk]
    assert geojson.MAX_FEATURES == 20_000


def test_query_count_is_constant(client, filed, categories, django_assert_max_num_queries):
    params = {"status": "ouverts", "categorie": "proprete", "commune": "13055", "bbox": "5.3,43.2,5.5,43.4"}
    with django_assert_max_num_queries(3):
        assert len(client.get(URL, params).json()["features"]) == 3
    for i in range(20):
        direct(
            filed[0].commune,
            categories["proprete"],
            VIEUX_PORT,
            created_at=timezone.now() - timedelta(days=i),
        )
    with django_assert_max_num_queries(3):
        assert len(client.get(URL, params).json()["features"]) == 23


def test_public_page_renders_for_anyone_with_a_text_alternative(client, filed, aix, categories):
    direct(aix, categories["proprete"], AIX_CENTRE, status=Status.RESOLU)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "js/maps.js" in html and "carte-signalements.js" in html
    counts = {row["insee"]: row for row in response.context["counts"]}
    assert (counts["13055"]["ouverts"], counts["13055"]["resolus"]) == (3, 0)
    assert (counts["13001"]["ouverts"], counts["13001"]["resolus"]) == (0, 1)
    assert "exemple.fr" not in html and "Texte non relu" not in html
    assert 'data-geojson-url="/api/v1/signalements/clusters.geojson?status=ouverts"' in html


def test_public_page_filters_are_validated(client, filed):
    response = client.get(PAGE, {"status": "n-importe-quoi", "categorie": "proprete"})
    assert response.status_code == 200
    assert "Statut inconnu" in response.content.decode()
    assert response.context["geojson_url"].endswith("?status=ouverts&categorie=proprete")
    assert client.get(PAGE, {"categorie": "voirie"}).context["counts"] == []
