"""Reports dashboard: who may see it, the numbers it shows, the hotspots it finds."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.utils import timezone

from observatoire.accounts.enums import Role
from signalements.dashboard import hotspots, stats
from signalements.enums import RejectionReason, Status
from signalements.models import Signalement
from tests.factories import UserFactory

from .conftest import AIX_CENTRE, VIEUX_PORT

METROPOLE_URL = "/signalements/tableau-de-bord/"
MARSEILLE_URL = "/signalements/tableau-de-bord/13055/"
AIX_URL = "/signalements/tableau-de-bord/13001/"
S = Status


def at(place, dx=0, dy=0):
    """A Lambert-93 point ``dx``/``dy`` metres east/north of a WGS84 place."""
    point = Point(place["lon"], place["lat"], srid=4326)
    point.transform(2154)
    return Point(point.x + dx, point.y + dy, srid=2154)


def report(
    commune, categorie, *, days_ago, status=S.NOUVEAU, resolved_days_ago=None, place=VIEUX_PORT, **extra
):
    now = timezone.now()
    return Signalement.objects.create(
        commune=commune,
        categorie=categorie,
        geom=extra.pop("geom", None) or at(place),
        description="Signalement de test.",
        status=status,
        created_at=now - timedelta(days=days_ago),
        resolved_at=None if resolved_days_ago is None else now - timedelta(days=resolved_days_ago),
        **extra,
    )


def login(client, role, communes=()):
    user = UserFactory(role=role, communes=list(communes))
    client.force_login(user)
    return user


# --- Access ----------------------------------------------------------------------------------


def test_metropolitan_elu_sees_the_metropolis_and_any_commune(client, territoire):
    login(client, Role.ELU)
    assert client.get(METROPOLE_URL).status_code == 200
    assert client.get(AIX_URL).status_code == 200


def test_communal_admin_is_sent_to_his_commune_and_kept_out_of_others(client, marseille, aix):
    login(client, Role.ADMIN_COMMUNAL, [marseille])
    response = client.get(METROPOLE_URL, {"periode": "3"})
    assert response.status_code == 302
    assert response["Location"] == MARSEILLE_URL + "?periode=3"
    assert client.get(MARSEILLE_URL).status_code == 200
    assert client.get(AIX_URL).status_code == 403


@pytest.mark.parametrize("role", [Role.CITOYEN, Role.AGENT_COMMUNAL, Role.PARTENAIRE])
def test_roles_without_the_capability_get_403(client, marseille, role):
    login(client, role, [marseille] if role == Role.AGENT_COMMUNAL else [])
    assert client.get(METROPOLE_URL).status_code == 403
    assert client.get(MARSEILLE_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, territoire):
    for url in (METROPOLE_URL, MARSEILLE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/comptes/login/?next=")


def test_unknown_commune_is_404(client, territoire):
    login(client, Role.ELU)
    assert client.get("/signalements/tableau-de-bord/99999/").status_code == 404


# --- KPI and charts on a hand-made set -------------------------------------------------------


@pytest.fixture
def jeu(marseille, aix, categories, open_category, service_marseille):
    """Marseille: targets 3 days (propreté) and 10 days (voirie), none for éclairage."""
    open_category(marseille, categories["proprete"], service=service_marseille, delai_cible_jours=3)
    open_category(marseille, categories["voirie"], delai_cible_jours=10)
    open_category(marseille, categories["eclairage"])
    proprete, voirie, eclairage = categories["proprete"], categories["voirie"], categories["eclairage"]
    svc = {"service": service_marseille}
    # Resolved: 2 d (on time), 5 d (late), 3 d (on time: the target itself), 14 d (late), 1 d (no target).
    report(marseille, proprete, days_ago=20, resolved_days_ago=18, status=S.RESOLU, **svc)
    report(marseille, proprete, days_ago=20, resolved_days_ago=15, status=S.CLOS, **svc)
    report(marseille, proprete, days_ago=10, resolved_days_ago=7, status=S.RESOLU, **svc)
    report(marseille, voirie, days_ago=30, resolved_days_ago=16, status=S.RESOLU)
    report(marseille, eclairage, days_ago=5, resolved_days_ago=4, status=S.RESOLU)
    # Open: two of the period, one filed two years ago.
    report(marseille, proprete, days_ago=3)
    report(marseille, voirie, days_ago=40, status=S.PRIS_EN_CHARGE)
    report(marseille, proprete, days_ago=730, status=S.EN_ANALYSE)
    # Reopened after a resolution: open, not resolved, though it keeps its resolved_at.
    report(marseille, voirie, days_ago=12, resolved_days_ago=11, status=S.REOUVERT)
    # Spam never counts; Aix only counts for the metropolis.
    report(marseille, proprete, days_ago=2, status=S.REJETE, rejection_reason=RejectionReason.SPAM)
    report(aix, proprete, days_ago=6, place=AIX_CENTRE)
    return marseille


def test_kpis_of_a_commune(jeu):
    numbers = stats.kpis(stats.scoped_reports(jeu), stats.period(12))
    assert numbers == {
        "deposes": 8,
        "ouverts": 4,
        "resolus": 5,
        "avec_cible": 4,
        "dans_delai": 2,
        "part_dans_delai": 0.5,
        "median_jours": pytest.approx(3.0),
    }


def test_delays_by_category_and_service(jeu, categories):
    period = stats.period(12)
    rows = {row["nom"]: row for row in stats.delays_by_category(stats.scoped_reports(jeu), period)}
    assert rows["Propreté"]["resolus"] == 3
    assert rows["Propreté"]["median_jours"] == pytest.approx(3.0)
    assert rows["Propreté"]["cible_jours"] == pytest.approx(3.0)
    assert rows["Propreté"]["part_dans_delai"] == pytest.approx(2 / 3)
    assert rows["Voirie et trottoirs"]["median_jours"] == pytest.approx(14.0)
    assert rows["Voirie et trottoirs"]["part_dans_delai"] == 0
    assert rows["Éclairage public"]["cible_jours"] is None
    assert rows["Éclairage public"]["part_dans_delai"] is None

    services = {row["nom"]: row for row in stats.delays_by_service(stats.scoped_reports(jeu), period)}
    assert services["Propreté Marseille"]["resolus"] == 3
    assert services[stats.NO_SERVICE]["resolus"] == 2


def test_volumes_by_month_and_status(jeu):
    period = stats.period(3)
    reports = stats.scoped_reports(jeu)
    monthly = stats.volumes_by_month(reports, period)
    assert len(monthly["mois"]) == 3
    totals = {serie["nom"]: sum(serie["valeurs"]) for serie in monthly["series"]}
    since = period.since
    expected = Signalement.objects.filter(commune=jeu, created_at__gte=since).exclude(rejection_reason="spam")
    assert sum(totals.values()) == expected.count()
    statuses = {row["status"]: row["n"] for row in stats.volumes_by_status(reports, stats.period(12))}
    assert statuses == {"nouveau": 1, "pris_en_charge": 1, "resolu": 4, "clos": 1, "reouvert": 1}


def test_metropolis_counts_every_commune(jeu):
    numbers = stats.kpis(stats.scoped_reports(), stats.period(12))
    assert numbers["deposes"] == 9
    rows = {row["insee"]: row for row in stats.by_commune(stats.scoped_reports(), stats.period(12))}
    assert rows["13055"]["deposes"] == 8 and rows["13001"]["deposes"] == 1


def test_page_shows_the_numbers_and_says_no_one_is_monitored(client, jeu, service_marseille):
    agent = login(client, Role.ADMIN_COMMUNAL, [jeu])
    agent.first_name, agent.last_name = "Camille", "Surveillée"
    agent.save()
    service_marseille.members.add(agent)
    response = client.get(MARSEILLE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["kpis"]["deposes"] == 8
    assert re.search(r'id="kpi-delai"><strong>50 %</strong>', html.replace("\n", "").replace("  ", ""))
    assert "3,0 j" in html
    assert "jamais sur un agent" in html
    # Nothing is computed or shown per person.
    assert "Surveillée" not in html and agent.email not in html


def test_category_filter_and_bad_values_fall_back_to_defaults(client, jeu):
    login(client, Role.ELU)
    response = client.get(MARSEILLE_URL, {"categorie": "voirie"})
    assert response.context["kpis"]["resolus"] == 1
    response = client.get(MARSEILLE_URL, {"periode": "7", "categorie": "inconnue", "rayon": "5000"})
    assert response.status_code == 200
    values = response.context["values"]
    assert values["periode"] == 12 and values["categorie"] is None and values["rayon"] == hotspots.EPS_METRES
    html = response.content.decode()
    assert "Période inconnue" in html and "Catégorie inconnue" in html and "500 mètres au maximum" in html
    # The fields show the values actually used.
    assert '<option value="12" selected>' in html and 'value="100"' in html


def test_open_reports_map_uses_the_public_endpoint_for_the_commune(client, jeu):
    login(client, Role.ELU)
    url = client.get(MARSEILLE_URL).context["geojson_url"]
    assert url == "/api/v1/signalements/clusters.geojson?status=ouverts&commune=13055"
    features = client.get(url + "&bbox=4.7,43.15,5.85,43.75&zoom=10").json()["features"]
    assert sum(f["properties"]["count"] for f in features) == 4


def test_pages_hold_no_inline_script(client, jeu):
    login(client, Role.ELU)
    for url in (METROPOLE_URL, MARSEILLE_URL):
        html = client.get(url).content.decode()
        tags = re.findall(r"<script[^>]*>", html)
        assert tags
        for tag in tags:
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert 'id="tdb-figures"' in html and "plotly-cartesian.min.js" in html


def test_query_count_does_not_grow_with_reports(client, jeu, categories, django_assert_max_num_queries):
    login(client, Role.ELU)
    with django_assert_max_num_queries(20):
        client.get(METROPOLE_URL)
    for i in range(30):
        report(jeu, categories["proprete"], days_ago=i % 60, geom=at(VIEUX_PORT, dx=i * 7))
    cache.clear()  # the figures are cached ten minutes
    with django_assert_max_num_queries(20):
        response = client.get(METROPOLE_URL)
    assert response.context["kpis"]["deposes"] == 39


def test_figures_are_cached_and_kept_warm_by_beat(client, jeu, categories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from signalements.tasks import warm_dashboards

    login(client, Role.ELU)
    client.get(METROPOLE_URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(METROPOLE_URL).context["kpis"]["deposes"] == 9
    # Session, user and rights only: no aggregation, no clustering.
    assert not any("percentile_cont" in q["sql"] or "ST_ClusterDBSCAN" in q["sql"] for q in queries)
    report(jeu, categories["proprete"], days_ago=1, geom=at(VIEUX_PORT, dx=500))
    assert client.get(METROPOLE_URL).context["kpis"]["deposes"] == 9  # still the cached picture
    assert warm_dashboards() is True
    assert client.get(METROPOLE_URL).context["kpis"]["deposes"] == 10


# --- Hotspots --------------------------------------------------------------------------------

OFFSETS = [(0, 0), (30, 0), (0, 30), (-30, 0), (0, -30)]


def cluster(commune, categorie, offsets=OFFSETS, days_ago=10, spacing=1, **extra):
    return [
        report(
            commune, categorie, days_ago=days_ago, geom=at(VIEUX_PORT, dx * spacing, dy * spacing), **extra
        )
        for dx, dy in offsets
    ]


def test_five_close_recent_reports_make_one_hotspot(marseille, categories):
    cluster(marseille, categories["proprete"])
    report(marseille, categories["voirie"], days_ago=1, geom=at(VIEUX_PORT, 2000, 2000))
    spots = hotspots.find_hotspots()
    assert len(spots) == 1
    spot = spots[0]
    assert (spot.count, spot.open_count, spot.categorie, spot.commune_insee) == (5, 5, "Propreté", "13055")
    assert spot.hull["type"] == "Polygon"
    assert abs(spot.lon - VIEUX_PORT["lon"]) < 0.001 and abs(spot.lat - VIEUX_PORT["lat"]) < 0.001


def test_four_reports_are_not_a_hotspot(marseille, categories):
    cluster(marseille, categories["proprete"], offsets=OFFSETS[:4])
    assert hotspots.find_hotspots() == []
    assert len(hotspots.find_hotspots(minpoints=4)) == 1


def test_reports_300_metres_apart_are_not_a_hotspot(marseille, categories):
    cluster(marseille, categories["proprete"], offsets=[(i * 300, 0) for i in range(5)])
    assert hotspots.find_hotspots() == []


def test_reports_older_than_90_days_are_not_a_hotspot(marseille, categories):
    cluster(marseille, categories["proprete"], days_ago=91)
    assert hotspots.find_hotspots() == []
    assert len(hotspots.find_hotspots(days=120)) == 1


def test_spam_does_not_make_a_hotspot(marseille, categories):
    cluster(marseille, categories["proprete"], status=S.REJETE, rejection_reason=RejectionReason.SPAM)
    assert hotspots.find_hotspots() == []


def test_hotspot_dominant_category_and_scope(marseille, aix, categories):
    cluster(marseille, categories["proprete"], offsets=OFFSETS[:3])
    cluster(marseille, categories["voirie"], offsets=OFFSETS[3:])
    spot = hotspots.find_hotspots()[0]
    assert (spot.count, spot.categorie, spot.categories) == (5, "Propreté", 2)
    assert hotspots.find_hotspots(commune=aix) == []
    assert hotspots.find_hotspots(categorie=categories["proprete"]) == []


def test_hotspots_are_listed_and_drawn_on_the_dashboard(client, marseille, categories):
    cluster(marseille, categories["proprete"])
    login(client, Role.ADMIN_COMMUNAL, [marseille])
    response = client.get(MARSEILLE_URL)
    assert len(response.context["hotspots"]) == 1
    drawn = re.search(
        r'<script id="tdb-points-noirs" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert json.loads(drawn.group(1))["features"][0]["properties"]["nombre"] == 5
    # Parameters come from the form, within bounds.
    response = client.get(MARSEILLE_URL, {"rayon": "20"})
    assert response.context["hotspots"] == []
    assert "Aucun point noir" in response.content.decode()


def test_hotspot_parameters_default_to_100_m_5_reports_90_days():
    assert (hotspots.EPS_METRES, hotspots.MIN_POINTS, hotspots.DAYS) == (100, 5, 90)
