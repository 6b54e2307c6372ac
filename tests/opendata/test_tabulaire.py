"""The tabular API: rows of the published version, filtered, sorted, paged, in JSON and CSV."""

import csv
import io
import os
import time

import httpx
import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from gouvernance.models import JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.opendata import tabular, tasks
from observatoire.opendata.models import Ressource
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from observatoire.territoires.geometry import to_storage
from signalements.demo import load_categories
from signalements.models import Categorie, Signalement
from tests.factories import UserFactory

SLUG = "signalements-espace-public"
STATUTS = ["nouveau", "pris_en_charge", "resolu", "clos"]


@pytest.fixture
def cache(settings, tmp_path):
    settings.OPENDATA_TABULAR_CACHE = tmp_path / "tabulaire"
    tabular._open.clear()
    yield settings.OPENDATA_TABULAR_CACHE
    tabular._open.clear()


@pytest.fixture
def reports(territoire, marseille, aix, cache):
    """45 reports: Marseille and Aix, four statuses, two categories, one named like a formula."""
    load_categories()
    proprete, voirie = Categorie.objects.filter(parent=None).order_by("code")[:2]
    Categorie.objects.filter(pk=voirie.pk).update(nom='=HYPERLINK("http://exemple.invalid")')
    for i in range(45):
        commune = marseille if i % 3 else aix
        point = to_storage(Point(5.37 + i * 0.001, 43.29, srid=4326))
        Signalement.objects.create(
            commune=commune,
            categorie=proprete if i % 2 else voirie,
            geom=point,
            description=f"Signalement {i}",
            status=STATUTS[i % 4],
        )
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug=SLUG))
    return Signalement.objects.order_by("pk")


def lignes(client, **params):
    response = client.get(reverse("opendata-api:lignes", args=[SLUG]), params)
    return response, response.json()


def test_profile_gives_columns_types_and_operators(client, reports):
    profil = client.get(reverse("opendata-api:profil", args=[SLUG])).json()
    types = {c["nom"]: c["type"] for c in profil["colonnes"]}
    assert types["identifiant"] == "integer" and types["commune_insee"] == "string"
    assert types["longitude"] == types["latitude"] == "number"
    assert types["date_signalement"] == "date"
    assert profil["version"] == 1 and profil["lignes"] == 45
    operateurs = {c["nom"]: c["operateurs"] for c in profil["colonnes"]}
    assert "contains" in operateurs["commune"] and "contains" not in operateurs["identifiant"]
    listing = client.get(reverse("opendata-api:jeux")).json()
    assert SLUG in {jeu["jeu"] for jeu in listing}


def test_rows_are_paged_like_the_tabular_api_of_data_gouv(client, reports):
    response, body = lignes(client)
    assert response.status_code == 200
    assert body["meta"] == {"page": 1, "page_size": 20, "total": 45, "version": 1}
    assert [row["__id"] for row in body["data"]] == list(range(1, 21))
    assert body["links"]["prev"] is None and "page=2" in body["links"]["next"]
    _, last = lignes(client, page=3)
    assert len(last["data"]) == 5 and last["links"]["next"] is None
    response, error = lignes(client, page=4)
    assert response.status_code == 404 and "au-delà de la dernière" in error["detail"]
    assert lignes(client, page_size=500)[0].status_code == 400


def test_filters_sort_and_columns(client, reports):
    marseille_ids = [s.pk for s in reports if s.commune.insee == "13055"]
    _, body = lignes(client, commune_insee__exact="13055", page_size=50)
    assert [row["identifiant"] for row in body["data"]] == marseille_ids
    _, body = lignes(client, statut__in="resolu,clos", page_size=50)
    assert {row["statut"] for row in body["data"]} == {"resolu", "clos"}
    assert body["meta"]["total"] == sum(s.status in ("resolu", "clos") for s in reports)
    _, body = lignes(client, statut__differs="nouveau", page_size=50)
    assert body["meta"]["total"] == sum(s.status != "nouveau" for s in reports)
    pivot = reports[10].pk
    _, body = lignes(client, identifiant__less=pivot, page_size=50)
    assert max(row["identifiant"] for row in body["data"]) == pivot and body["meta"]["total"] == 11
    _, body = lignes(client, identifiant__strictly_greater=pivot, page_size=50)
    assert min(row["identifiant"] for row in body["data"]) == pivot + 1
    _, body = lignes(client, commune__contains="AIX", page_size=50)  # case-insensitive
    assert {row["commune"] for row in body["data"]} == {"Aix-en-Provence"}
    _, body = lignes(client, date_resolution__isnull="", page_size=50)
    assert body["meta"]["total"] == 45
    today = reports[0].created_at.date().isoformat()
    _, body = lignes(client, date_signalement__exact=today, page_size=1)
    assert body["meta"]["total"] == 45 and body["data"][0]["date_signalement"] == today
    _, body = lignes(client, date_signalement__strictly_greater=today)
    assert body["meta"]["total"] == 0
    _, body = lignes(client, identifiant__sort="desc", columns="identifiant,statut", page_size=3)
    assert [set(row) for row in body["data"]] == [{"__id", "identifiant", "statut"}] * 3
    assert [row["identifiant"] for row in body["data"]] == [s.pk for s in reports][::-1][:3]


def test_sort_on_a_text_column_is_stable_across_pages(client, reports):
    pages = [lignes(client, statut__sort="asc", page_size=10, page=p)[1]["data"] for p in (1, 2, 3, 4, 5)]
    rows = [row for page in pages for row in page]
    assert len({row["__id"] for row in rows}) == 45
    assert [row["statut"] for row in rows] == sorted(row["statut"] for row in rows)
    for statut in STATUTS:  # ties keep the file's order
        ids = [row["__id"] for row in rows if row["statut"] == statut]
        assert ids == sorted(ids)


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"inconnue__exact": "1"}, "inconnue__exact", "Colonne inconnue « inconnue »"),
        ({"statut__pareil": "1"}, "statut__pareil", "Paramètre inconnu"),
        ({"identifiant__exact": "douze"}, "identifiant__exact", "n'est pas un entier"),
        ({"date_signalement__greater": "2025-13-01"}, "date_signalement__greater", "date AAAA-MM-JJ"),
        ({"identifiant__contains": "1"}, "identifiant__contains", "qu'aux colonnes de texte"),
        ({"statut__sort": "haut"}, "statut__sort", "asc ou desc"),
        ({"columns": "statut,nulle"}, "columns", "inconnue(s) : nulle"),
    ],
)
def test_bad_filters_are_explained_in_french(client, reports, params, parameter, message):
    response, body = lignes(client, **params)
    assert response.status_code == 400
    assert body["detail"] == "Paramètres invalides." and message in str(body["errors"][parameter])


def test_reads_the_published_version_not_the_live_tables(client, reports):
    reports.filter(status="clos").delete()
    _, body = lignes(client, statut__exact="clos", page_size=50)
    assert body["meta"]["total"] == sum(1 for i in range(45) if STATUTS[i % 4] == "clos") and body["data"]
    publish(JeuDeDonnees.objects.get(slug=SLUG))
    _, body = lignes(client, statut__exact="clos")
    assert body["meta"]["total"] == 0 and body["meta"]["version"] == 2


def test_csv_is_filtered_sorted_and_formula_safe(client, reports):
    url = reverse("opendata-api:lignes-csv", args=[SLUG])
    response = client.get(url, {"commune_insee__exact": "13001", "identifiant__sort": "desc"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    aix = [s.pk for s in reports if s.commune.insee == "13001"]
    assert [int(r["identifiant"]) for r in rows] == aix[::-1]
    assert response["X-Total-Count"] == str(len(rows))
    formulas = {r["categorie"] for r in rows if "HYPERLINK" in r["categorie"]}
    assert formulas == {'\'=HYPERLINK("http://exemple.invalid")'}  # a spreadsheet shows it as text
    empty = client.get(url, {"statut__exact": "inexistant", "columns": "identifiant,statut"})
    assert b"".join(empty.streaming_content) == b"__id,identifiant,statut\n"
    # JSON gives the value as published, untouched.
    _, body = lignes(client, categorie__contains="hyperlink", page_size=1)
    assert body["data"][0]["categorie"] == '=HYPERLINK("http://exemple.invalid")'


def test_only_published_public_datasets_are_served(client, reports):
    client.force_login(UserFactory(role=Role.AGD))  # even those allowed the rows elsewhere
    assert client.get(reverse("opendata-api:lignes", args=["signalements-complets"])).status_code == 404
    assert client.get(reverse("opendata-api:profil", args=["gisements-fonciers"])).status_code == 404
    JeuDeDonnees.objects.filter(slug=SLUG).update(publier=False, motif_non_publication="Retiré")
    assert client.get(reverse("opendata-api:lignes", args=[SLUG])).status_code == 404
    assert SLUG not in {jeu["jeu"] for jeu in client.get(reverse("opendata-api:jeux")).json()}


def test_the_cache_is_named_by_the_published_file_and_checked(client, reports, cache):
    parquet = JeuDeDonnees.objects.get(slug=SLUG).latest.ressources.get(format="parquet")
    lignes(client)
    assert sorted(os.listdir(cache)) == [f"{parquet.sha256}.arrow", f"{parquet.sha256}.arrow.lock"]
    tabular._open.clear()
    os.remove(cache / f"{parquet.sha256}.arrow")
    parquet.sha256 = "0" * 64  # what was published is not what the storage holds
    with pytest.raises(OSError, match="empreinte SHA-256"):
        tabular.table_for(parquet)


def test_httpx_against_the_live_server(live_server, reports):
    base = live_server.url + reverse("opendata-api:lignes", args=[SLUG])
    with httpx.Client() as http:
        page = http.get(base, params={"statut__exact": "resolu", "identifiant__sort": "asc"}).json()
        assert page["meta"]["total"] == sum(s.status == "resolu" for s in reports)
        following = http.get(page["links"]["profile"]).json()
        assert following["jeu"] == SLUG
        error = http.get(base, params={"statut__exact": "resolu", "nulle__in": "a,b"})
        assert error.status_code == 400 and "Colonne inconnue" in error.text
        extract = http.get(base + "csv/", params={"statut__exact": "resolu"})
        assert extract.headers["content-type"] == "text/csv; charset=utf-8"
        assert len(extract.text.strip().splitlines()) == page["meta"]["total"] + 1


def test_without_a_table_schema_columns_come_from_the_published_file(client, reports, monkeypatch):
    monkeypatch.setattr(tabular, "published_schema", lambda publication: None)
    tabular._open.clear()
    profil = client.get(reverse("opendata-api:profil", args=[SLUG])).json()
    types = {c["nom"]: c["type"] for c in profil["colonnes"]}
    assert profil["schema_table"] is False
    assert types["identifiant"] == "integer" and types["longitude"] == "number"
    assert "geom" not in types and "geometry" not in types  # the point is given as longitude/latitude
    _, body = lignes(client, commune_insee__in="13001,13055")
    assert body["meta"]["total"] == 45


def test_the_dataset_page_points_to_the_tabular_api(client, reports):
    page = client.get(reverse("opendata:jeu", args=[SLUG])).content.decode()
    assert reverse("opendata-api:lignes", args=[SLUG]) in page
    assert reverse("opendata-api:profil", args=[SLUG]) in page


def test_shapes_other_than_points_come_as_wkt(client, territoire, cache):
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug="communes-metropole"))
    url = reverse("opendata-api:lignes", args=["communes-metropole"])
    body = client.get(url, {"insee__exact": "13001"}).json()
    (aix,) = body["data"]
    assert aix["nom"] == "Aix-en-Provence" and aix["geometrie"].startswith(("MULTIPOLYGON", "POLYGON"))
    assert "geom" not in aix and "geometry" not in aix


def test_answers_carry_a_validator_and_revalidate_with_304(client, reports):
    url = reverse("opendata-api:lignes", args=[SLUG])
    first = client.get(url, {"statut__exact": "resolu"})
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Cache-Control"] == "public, no-cache"
    again = client.get(url, {"statut__exact": "resolu"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get(url, {"statut__exact": "clos"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other["ETag"] != etag
    Signalement.objects.filter(status="resolu").first().delete()
    publish(JeuDeDonnees.objects.get(slug=SLUG))
    fresh = client.get(url, {"statut__exact": "resolu"}, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh["ETag"] != etag  # a new version, a new answer


def test_the_cache_keeps_the_latest_version_of_each_dataset(client, reports, cache):
    lignes(client)
    reports.filter(status="clos").delete()
    publish(JeuDeDonnees.objects.get(slug=SLUG))
    lignes(client)
    parquets = Ressource.objects.filter(publication__jeu__slug=SLUG, format="parquet").order_by("pk")
    old, new = (r.sha256 for r in parquets)
    assert tabular.prune_cache() == []  # files of the day stay, whatever their version
    a_while_ago = time.time() - 2 * 24 * 3600
    for name in os.listdir(cache):
        os.utime(cache / name, (a_while_ago, a_while_ago))
    removed = tasks.prune_tabular_cache.apply().get()
    assert removed == 3 and sorted(os.listdir(cache)) == [f"{new}.arrow"]
    assert f"{old}.arrow" not in os.listdir(cache)
    _, body = lignes(client)  # the version online still answers from its file
    assert body["meta"]["version"] == 2
