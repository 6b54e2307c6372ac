"""Atom feeds of reports, read by feedparser (a client nobody here wrote), and their discovery."""

import re
from datetime import timedelta

import feedparser
from django.utils import timezone

from signalements.enums import Status
from signalements.models import Signalement

from .alertes_data import SECRET, file_report
from .conftest import AIX_CENTRE, VIEUX_PORT

FLUX = "/signalements/alertes/flux.atom"


def parse(client, query=""):
    response = client.get(FLUX + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return response, feed


def test_feed_of_a_commune_is_valid_atom_without_personal_data(
    client, marseille_setup, categories, open_category, aix
):
    open_category(aix, categories["proprete"])
    report = file_report(categories)
    file_report(categories, **AIX_CENTRE)
    response, feed = parse(client, "?commune=13055")
    assert feed.feed.title == "Nouveaux signalements à Marseille"
    assert feed.feed.author == "Métropole d'Aix-Marseille-Provence"
    assert feed.feed.id and feed.feed.updated
    assert feed.feed.link.endswith("/signalements/carte/")
    assert any(link.rel == "self" and link.href.endswith("?commune=13055") for link in feed.feed.links)
    assert feed.feed.language == "fr"
    [entry] = feed.entries
    assert entry.title == f"Propreté à Marseille ({report.reference}, signalé)"
    # One id per report and event, that stays the same from one reading to the next.
    assert entry.id == entry.link == f"http://testserver/signalements/carte/#signalement-{report.pk}-nouveau"
    assert entry.updated_parsed
    assert "Position approximative : 43.2951, 5.3741." in entry.summary
    body = response.content.decode()
    assert SECRET not in body and "auteur.prive" not in body
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response.has_header("Last-Modified")


def test_validated_description_appears(client, marseille_setup, categories):
    report = file_report(categories, description="Sacs éventrés devant l'école.")
    Signalement.objects.filter(pk=report.pk).update(description_validee=True)
    _, feed = parse(client)
    assert "« Sacs éventrés devant l'école. »" in feed.entries[0].summary


def test_resolved_feed_and_radius_and_arrondissement(client, marseille_setup, categories):
    fresh, resolved = file_report(categories), file_report(categories)
    Signalement.objects.filter(pk=resolved.pk).update(
        status=Status.RESOLU, resolved_at=timezone.now() - timedelta(hours=1)
    )
    _, feed = parse(client, "?type=resolus&commune=13055")
    assert feed.feed.title == "Signalements résolus à Marseille"
    assert [entry.title for entry in feed.entries] == [f"Propreté à Marseille ({resolved.reference}, résolu)"]

    near = f"?lat={VIEUX_PORT['lat']}&lon={VIEUX_PORT['lon'] + 0.004}"
    _, feed = parse(client, near + "&rayon=400")
    assert feed.feed.title.startswith("Nouveaux signalements à moins de 400 m de")
    assert len(feed.entries) == 2
    _, feed = parse(client, near + "&rayon=200")
    assert feed.entries == []

    _, feed = parse(client, "?arrondissement=13201")
    assert feed.feed.title == "Nouveaux signalements à Marseille 1er Arrondissement"
    assert {fresh.reference, resolved.reference} == {
        re.search(r"S-\d{4}-\d{6}", e.title)[0] for e in feed.entries
    }
    _, feed = parse(client, "?arrondissement=13208&categorie=proprete")
    assert feed.entries == []


def test_bad_parameters_get_a_400_in_french(client, territoire):
    cases = {
        "?commune=99999": "Commune inconnue",
        "?type=tous": "« nouveaux » ou « resolus »",
        "?lat=43.3": "lat et lon vont ensemble",
        "?lat=nord&lon=5": "lat : nombre décimal attendu",
        "?lat=43.15&lon=5.05": "en dehors du territoire",
        "?lat=43.3&lon=5.4&rayon=5000": "2 km au plus",
        "?commune=13055&arrondissement=13201": "Une seule zone à la fois",
    }
    for query, message in cases.items():
        response = client.get(FLUX + query)
        assert response.status_code == 400, query
        assert message in response.content.decode(), (query, response.content.decode())


def test_public_map_announces_its_feeds(client, marseille_setup, categories):
    html = client.get("/signalements/carte/?categorie=proprete").content.decode()
    links = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', html
    )
    assert links == [
        ("Nouveaux signalements · Propreté (Atom)", f"{FLUX}?type=nouveaux&amp;categorie=proprete"),
        ("Signalements résolus · Propreté (Atom)", f"{FLUX}?type=resolus&amp;categorie=proprete"),
    ]
    assert 'href="/signalements/alertes/"' in html
    # The discovered address works.
    _, feed = parse(client, "?type=resolus&categorie=proprete")
    assert feed.feed.title == "Signalements résolus dans la métropole · Propreté"


def test_feed_reads_a_bounded_number_of_queries(
    client, marseille_setup, categories, django_assert_max_num_queries
):
    for _ in range(5):
        file_report(categories)
    with django_assert_max_num_queries(4):
        _, feed = parse(client, "?commune=13055")
    assert len(feed.entries) == 5


def test_commune_dashboard_announces_the_commune_feeds(client, marseille_setup, categories):
    from observatoire.accounts.enums import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.ELU, communes=[marseille_setup]))
    html = client.get("/signalements/tableau-de-bord/13055/").content.decode()
    links = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', html
    )
    assert links == [
        ("Nouveaux signalements à Marseille (Atom)", f"{FLUX}?type=nouveaux&amp;commune=13055"),
        ("Signalements résolus à Marseille (Atom)", f"{FLUX}?type=resolus&amp;commune=13055"),
    ]
    _, feed = parse(client, "?type=resolus&commune=13055")
    assert feed.feed.title == "Signalements résolus à Marseille"
