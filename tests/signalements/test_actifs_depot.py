"""Reports on an asset: the map's endpoints, filing by form, API and Open311, duplicates, triage."""

import io
import json
from pathlib import Path

import pyogrio
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from georeport import GeoReport

from signalements import services, workflow
from signalements.actifs import api as actifs_api
from signalements.enums import Ouverture, Status
from signalements.models import Actif, ApiKey, Signalement
from signalements.tasks import send_pending_notifications

from .conftest import VIEUX_PORT

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "actifs" / "points_lumineux_marseille.geojson"
CANEBIERE = {"lon": 5.37812, "lat": 43.29681}  # EP-13201-00412
VIEW = "5.3750,43.2940,5.3820,43.2990"  # the top of the Canebière, street zoom


@pytest.fixture
def lights(marseille_setup, categories, open_category, service_marseille):
    open_category(marseille_setup, categories["eclairage"], Ouverture.TOUS, service_marseille)
    call_command("import_actifs", str(FIXTURE), "--categorie", "eclairage", stdout=io.StringIO(), verbosity=0)
    return {actif.identifiant: actif for actif in Actif.objects.all()}


@pytest.fixture
def api_key(db):
    return ApiKey.objects.create(name="Application de test")


def file_on(actif, **extra):
    return services.file_signalement(
        user=AnonymousUser(),
        categorie=actif.categorie,
        description="Éteint.",
        actif=actif,
        lon=0,
        lat=0,
        **extra,
    )


def test_the_view_gives_the_category_assets_as_geojson_read_by_gdal(client, lights):
    response = client.get("/api/v1/signalements/actifs.geojson", {"categorie": "eclairage", "bbox": VIEW})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    frame = pyogrio.read_dataframe(io.BytesIO(response.content))
    assert frame.crs.to_epsg() == 4326
    # Rue de Rome's light is south of the view; nearest the view's centre first.
    assert list(frame["identifiant"]) == ["EP-13201-00412", "EP-13201-00413", "EP-13201-00414"]
    first = frame.iloc[0]
    assert (round(first.geometry.x, 5), round(first.geometry.y, 5)) == (CANEBIERE["lon"], CANEBIERE["lat"])
    assert first["description"] == "Candélabre EP-13201-00412 (La Canebière (côté pair))"
    assert response.json()["limite_atteinte"] is False
    assert (
        client.get("/api/v1/signalements/actifs.geojson", {"categorie": "proprete", "bbox": VIEW}).json()[
            "features"
        ]
        == []
    )


def test_the_view_is_capped_and_leaves_out_retired_assets(client, lights, monkeypatch):
    Actif.objects.filter(identifiant="EP-13201-00414").update(is_active=False)
    monkeypatch.setattr(actifs_api, "LIMIT", 1)
    body = client.get("/api/v1/signalements/actifs.geojson", {"categorie": "eclairage", "bbox": VIEW}).json()
    assert [f["properties"]["identifiant"] for f in body["features"]] == ["EP-13201-00412"]
    assert body["limite_atteinte"] is True


def test_a_view_wider_than_a_street_or_a_bad_bbox_is_a_json_error(client, lights):
    wide = client.get(
        "/api/v1/signalements/actifs.geojson", {"categorie": "eclairage", "bbox": "5.2,43.2,5.5,43.4"}
    )
    assert wide.status_code == 400
    assert wide.json()["errors"]["bbox"] == ["Zone trop grande : zoomez au niveau de la rue."]
    bad = client.get("/api/v1/signalements/actifs.geojson", {"categorie": "inconnue", "bbox": "a,b"})
    assert bad.status_code == 400 and {"categorie", "bbox"} <= set(bad.json()["errors"])


def test_the_nearest_assets_with_their_distance(client, lights):
    body = client.get("/api/v1/signalements/actifs/proches/", {"categorie": "eclairage", **CANEBIERE}).json()
    found = [(f["properties"]["identifiant"], f["properties"]["distance_m"]) for f in body["features"]]
    # Rue Longue des Capucins' light, 153 m away, is beyond the 150 m of the list.
    assert found == [("EP-13201-00412", 0), ("EP-13201-00413", 28)]


def test_the_api_files_on_an_asset_without_coordinates(client, lights):
    response = client.post(
        "/api/v1/signalements/",
        {"categorie": "eclairage", "actif": "EP-13201-00412", "description": "Éteint depuis lundi."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = Signalement.objects.get()
    assert (report.actif, report.actif_identifiant) == (lights["EP-13201-00412"], "EP-13201-00412")
    assert report.geom.equals_exact(lights["EP-13201-00412"].geom, 0.01)
    assert report.commune.insee == "13055"
    assert (response.json()["lon"], response.json()["lat"]) == (5.3781, 43.2968)


def test_the_api_refuses_an_unknown_asset_or_one_of_another_category_and_files_nothing(client, lights):
    for categorie, identifiant in (("eclairage", "EP-0000"), ("proprete", "EP-13201-00412")):
        response = client.post(
            "/api/v1/signalements/",
            {"categorie": categorie, "actif": identifiant, "description": "Éteint."},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert f"Équipement « {identifiant} » inconnu" in response.json()["errors"]["actif"][0]
    Actif.objects.filter(identifiant="EP-13201-00412").update(is_active=False)
    refused = client.post(
        "/api/v1/signalements/",
        {"categorie": "eclairage", "actif": "EP-13201-00412", "description": "Éteint.", **VIEUX_PORT},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "(ou retiré)" in refused.json()["errors"]["actif"][0]
    assert not Signalement.objects.exists()


def test_without_an_asset_the_api_still_wants_coordinates(client, lights):
    response = client.post(
        "/api/v1/signalements/",
        {"categorie": "eclairage", "description": "Éteint."},
        content_type="application/json",
    )
    assert response.status_code == 400 and {"lat", "lon"} <= set(response.json()["errors"])


def test_the_form_files_on_the_asset_chosen(client, lights):
    page = client.get("/signalements/nouveau/").content.decode()
    assert 'data-code="eclairage" data-nom="Éclairage public" data-actifs="1"' in page
    assert 'data-code="proprete" data-nom="Propreté">' in page
    response = client.post(
        "/signalements/nouveau/",
        {"categorie": lights["EP-13201-00413"].categorie.pk, "actif": "EP-13201-00413",
         "description": "Clignote.", **VIEUX_PORT},
    )  # fmt: skip
    report = Signalement.objects.get()
    assert response["Location"] == report.get_tracking_url()
    assert report.actif_identifiant == "EP-13201-00413"
    assert report.geom.equals_exact(lights["EP-13201-00413"].geom, 0.01)


def test_the_form_says_why_an_asset_is_refused(client, lights):
    response = client.post(
        "/signalements/nouveau/",
        {
            "categorie": lights["EP-13201-00413"].categorie.pk,
            "actif": "EP-9",
            "description": "Éteint.",
            **VIEUX_PORT,
        },
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "Équipement « EP-9 » inconnu dans la catégorie « Éclairage public »" in page
    )
    assert not Signalement.objects.exists()


def test_open_reports_on_the_same_asset_come_first_whatever_the_distance(client, lights):
    on_asset = file_on(lights["EP-13201-00414"])
    nearby = services.file_signalement(
        user=AnonymousUser(),
        categorie=on_asset.categorie,
        description="Rue sombre.",
        lon=5.37843,
        lat=43.29692,
    )
    # From the other end of the street, 140 m away: nearby only the report 20 m from the point.
    query = {"categorie": "eclairage", "lon": 5.37830, "lat": 43.29688}
    assert [r["id"] for r in client.get("/api/v1/signalements/proches/", query).json()] == [nearby.pk]
    found = client.get("/api/v1/signalements/proches/", {**query, "actif": "EP-13201-00414"}).json()
    assert [(r["id"], r["meme_equipement"]) for r in found] == [(on_asset.pk, True), (nearby.pk, False)]
    Signalement.objects.filter(pk=on_asset.pk).update(status=Status.CLOS)
    found = client.get("/api/v1/signalements/proches/", {**query, "actif": "EP-13201-00414"}).json()
    assert [r["id"] for r in found] == [nearby.pk]


def test_open311_declares_the_attribute_read_by_georeport_client(live_server, lights):
    client = GeoReport(live_server.url + "/open311/v2")
    by_code = {s["service_code"]: s for s in client.get_service_list()}
    assert by_code["eclairage"]["metadata"] is True
    attributes = client.get_service_definition("eclairage")["attributes"]
    equipement = next(a for a in attributes if a["code"] == "equipement")
    assert (equipement["datatype"], equipement["required"], equipement["variable"]) == ("string", False, True)
    assert equipement["order"] == len(attributes)
    assert all(a["code"] != "equipement" for a in client.get_service_definition("proprete")["attributes"])


def test_open311_files_on_an_asset_and_refuses_an_unknown_one(client, lights, api_key):
    base = {"api_key": api_key.key, "service_code": "eclairage", "description": "Éteint."}
    response = client.post("/open311/v2/requests.json", {**base, "attribute[equipement]": "EP-13206-00077"})
    assert response.status_code == 200, response.content
    report = Signalement.objects.get(pk=json.loads(response.content)[0]["service_request_id"])
    assert report.actif_identifiant == "EP-13206-00077" and report.actif == lights["EP-13206-00077"]
    refused = client.post(
        "/open311/v2/requests.json", {**base, "attribute[equipement]": "EP-X", **VIEUX_PORT}
    )
    assert refused.status_code == 400
    assert json.loads(refused.content)[0]["description"].startswith(
        "attribute[equipement] : Équipement « EP-X »"
    )
    assert Signalement.objects.count() == 1


def test_triage_page_and_service_email_name_the_asset(
    client, lights, gestionnaire, django_capture_on_commit_callbacks
):
    report = file_on(lights["EP-13201-00412"])
    client.force_login(gestionnaire)
    page = client.get(f"/signalements/gestion/{report.pk}/").content.decode()
    assert "<dt>Équipement</dt><dd>Candélabre EP-13201-00412 (La Canebière (côté pair))</dd>" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    send_pending_notifications()
    to_service = next(m for m in mail.outbox if m.to == ["proprete@exemple.fr"])
    assert "Équipement : Candélabre EP-13201-00412 (La Canebière (côté pair))" in to_service.body
    # Retired from the inventory later: the report keeps its asset, said so.
    Actif.objects.filter(pk=report.actif_id).update(is_active=False)
    assert "(retiré de l'inventaire)" in client.get(f"/signalements/gestion/{report.pk}/").content.decode()


def test_the_admin_lists_and_shows_the_assets(admin_client, lights):
    page = admin_client.get("/admin/signalements/actif/", {"q": "EP-13201-00412"}).content.decode()
    assert "EP-13201-00412" in page and "EP-13201-00413" not in page
    change = admin_client.get(f"/admin/signalements/actif/{lights['EP-13201-00412'].pk}/change/")
    assert change.status_code == 200 and "type_source" in change.content.decode()


def test_the_map_endpoints_answer_in_two_queries(client, lights, django_assert_num_queries):
    with django_assert_num_queries(2):  # the category, the assets
        client.get("/api/v1/signalements/actifs.geojson", {"categorie": "eclairage", "bbox": VIEW})
    with django_assert_num_queries(2):
        client.get("/api/v1/signalements/actifs/proches/", {"categorie": "eclairage", **CANEBIERE})
