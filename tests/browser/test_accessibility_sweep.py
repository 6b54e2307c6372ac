"""Every page of the portal, from the URL resolver, audited by axe-core (WCAG 2.1 A/AA) at 1280
and 320 px, as an anonymous visitor and a signed-in AGD (every page), and as a gestionnaire des
signalements, an agent, a communal administrator and a partner (their own pages); at 320 px no
page is wider than the screen (WCAG 1.4.10).

The page list is not written by hand: a new URL pattern is audited, or the test fails until it is
given a representative URL below or an explicit exclusion reason."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gouvernance.models import DemandeAcces, JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.territoires.models import Commune
from signalements import services
from signalements.alertes.models import Abonnement
from signalements.enums import ServiceType
from signalements.models import ModeleReponse, Service
from tests.browser.signalements_data import log_in, open_proprete_in_marseille
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory
from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]

WIDTHS = (1280, 320)
# Not pages a person reads: machine formats, files, the admin's own screens, health probes.
EXCLUDED_PREFIXES = ("api/", "open311/", "health/", "admin/")
EXCLUDED_NAMES = {
    # File downloads.
    "telecharger",
    "version",
    "photo",
    "vignette",
    "suivi-photo",
    "suivi-vignette",
    # Machine formats of the GIS services: tiles and their JSON descriptions, the CSW's XML.
    "tiles-matrix-sets",
    "tiles-matrix-set",
    "tiles-tilesets",
    "tiles-tileset",
    "tiles-tile",
    "csw",
    # Redirections to and back from ProConnect / FranceConnect, not pages; the logout (POST only)
    # that also ends the provider's session.
    "connexion",
    "retour",
    "deconnexion",
}
# Who sees which pages: everybody every page; the roles below only the pages that are theirs
# (path prefixes), the ones the anonymous visitor and the AGD are refused.
ROLE_PAGES = {
    Role.GESTIONNAIRE_SIGNALEMENTS: ("/signalements/gestion/", "/signalements/tableau-de-bord/"),
    Role.AGENT_METROPOLITAIN: ("/signalements/gestion/service/",),
    Role.ADMIN_COMMUNAL: ("/signalements/gestion/categories/", "/signalements/gestion/modeles/"),
    Role.PARTENAIRE: ("/gouvernance/catalogue/", "/gouvernance/acces/mes-demandes/"),
    Role.RSSI: ("/connexions/journal/",),
}
# What the sweep counted on 2026-11-26 (56 pages, 208 page × visitor × width audits): fewer means
# pages fell out of the list or a visitor was sent to the login form. Raise them as pages are added.
MINIMUM_PAGES = 56
MINIMUM_AUDITS = 208
# Pages answering with another status than 200 on purpose.
EXPECTED_STATUS = {"comptes/activation/<uidb64>/<token>/": 400}  # an expired link says so
# Known violations left for a later fix: {path: {rule id: reason}}. Keep it empty.
KNOWN_VIOLATIONS = {}


def url_patterns(patterns=None, prefix=""):
    """(route, pattern) of every view of the portal, routes as written in the urlconfs."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def exclusion(route, pattern):
    """Why a route is not a page to audit, or None."""
    if route == "admin/":
        return None  # the admin index is the one admin screen a portal user lands on
    if route.startswith(EXCLUDED_PREFIXES):
        return "API, machine format or admin internals"
    if pattern.name in EXCLUDED_NAMES:
        return "file download"
    last = route.rstrip("/").rsplit("/", 1)[-1]
    if "." in last:
        return "file format (CSV, XLSX, PDF, GeoJSON, RDF)"
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class and not ("get" in view_class.http_method_names and hasattr(view_class, "get")):
        return "POST only"
    return None


@pytest.fixture
def portal(demo_portal, territoire):
    proprete = open_proprete_in_marseille(territoire)
    report = services.file_signalement(
        user=AnonymousUser(), categorie=proprete, description="Dépôt sauvage.", lon=5.3741, lat=43.2951
    )
    marseille = Commune.objects.filter(insee="13055")
    users = {
        role: UserFactory(email=f"{role.value}@exemple.fr", role=role, communes=marseille)
        for role in (Role.AGD, *ROLE_PAGES)
    }
    Service.objects.create(nom="Propreté urbaine", type=ServiceType.METROPOLITAIN).members.add(
        users[Role.AGENT_METROPOLITAIN]
    )
    # Another partner's pending request: the AGD's decision page; the signed-in partner may still ask.
    autre = UserFactory(email="autre-partenaire@exemple.fr", role=Role.PARTENAIRE)
    jeu = JeuDeDonnees.objects.get(slug="signalements-complets")
    demande = DemandeAcces.objects.create(jeu=jeu, demandeur=autre, finalite="x" * 30, duree_mois=1)
    uid = urlsafe_base64_encode(force_bytes(autre.pk))
    reset_token = default_token_generator.make_token(autre)
    alerte = Abonnement.objects.create(
        email="alerte@exemple.fr", zone_type="commune", commune=marseille.get()
    )
    alertes = "/signalements/alertes/"
    modele = ModeleReponse.objects.create(
        titre="Intervention planifiée", texte="Intervention prévue le {date_prevue}.", commune=marseille.get()
    )
    board = "/observatoires/habitat/tableau-de-bord/"
    representative = {
        "comptes/activation/<uidb64>/<token>/": f"/comptes/activation/{uid}/lien-expire/",
        "comptes/reset/<uidb64>/<token>/": f"/comptes/reset/{uid}/{reset_token}/",
        "observatoires/indicateurs/<slug:code>/carte/": "/observatoires/indicateurs/taux-vacance/carte/",
        "observatoires/<slug:slug>/": "/observatoires/habitat/",
        "observatoires/<slug:slug>/tableau-de-bord/": board,
        "observatoires/<slug:slug>/tableau-de-bord/integrer/": board + "integrer/",
        "territoires/<str:insee>/": "/territoires/13001/",
        "territoires/<str:insee>/integrer/": "/territoires/13001/integrer/",
        "signalements/tableau-de-bord/<str:insee>/": "/signalements/tableau-de-bord/13055/",
        "signalements/suivi/<str:token>/": f"/signalements/suivi/{report.token}/",
        "signalements/gestion/categories/<str:insee>/": "/signalements/gestion/categories/13055/",
        "signalements/gestion/<int:pk>/": f"/signalements/gestion/{report.pk}/",
        "signalements/gestion/modeles/<int:pk>/": f"/signalements/gestion/modeles/{modele.pk}/",
        "signalements/alertes/confirmation/<str:token>/": f"{alertes}confirmation/{alerte.token}/",
        "signalements/alertes/desabonnement/<str:token>/": f"{alertes}desabonnement/{alerte.token}/",
        "gouvernance/catalogue/<slug:slug>/": f"/gouvernance/catalogue/{jeu.slug}/",
        "gouvernance/catalogue/<slug:slug>/demander/": f"/gouvernance/catalogue/{jeu.slug}/demander/",
        "gouvernance/acces/demandes/<int:pk>/decider/": f"/gouvernance/acces/demandes/{demande.pk}/decider/",
        "gouvernance/documents/<slug:slug>/": "/gouvernance/documents/charte-de-la-donnee/",
        "gouvernance/registre/<slug:code>/": "/gouvernance/registre/signalements/",
        "opendata/<slug:slug>/": "/opendata/communes-metropole/",
        "ogc/collections/<str:collection_id>": "/ogc/collections/communes",
        "ogc/collections/<str:collection_id>/queryables": "/ogc/collections/communes/queryables",
        "ogc/collections/<str:collection_id>/items": "/ogc/collections/communes/items?limit=20",
        "ogc/collections/<str:collection_id>/items/<str:fid>": "/ogc/collections/communes/items/13001",
    }
    return demo_portal, users, representative


def pages_to_audit(representative):
    """{route: path} of every page, failing on a route with parameters and no representative URL."""
    pages, missing = {}, []
    for route, pattern in url_patterns():
        if exclusion(route, pattern) or route in pages:
            continue
        if "<" in route or "(" in route:
            if route not in representative:
                missing.append(route)
                continue
            pages[route] = representative[route]
        else:
            pages[route] = "/" + route
    assert missing == [], f"give these routes a representative URL or an exclusion: {missing}"
    return pages


# The page's width, and what sticks out of the screen (to say what to fix).
WIDTH = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = Math.max(0, ...[...range.getClientRects()].map(r => r.right));
    const parent = node.parentElement;
    if (right > innerWidth + 1 && parent.offsetWidth > 1 && !parent.closest('[role=region]'))
      out.push(`${parent.tagName.toLowerCase()}.${parent.className}: ${node.textContent.slice(0, 40)}`);
  }
  return [document.documentElement.scrollWidth, out.slice(0, 3)];
}"""


def sweep(browser, base, user, paths, width):
    """{path: (status, violations, page width)} of the pages this visitor may see (not the ones
    that send them to the login form)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    if user:
        log_in(page, base, user.email)
        page.wait_for_url(lambda url: "/comptes/login/" not in url)
    seen = {}
    for path in paths:
        response = page.goto(base + path)
        if "/comptes/login/" in page.url and not path.startswith("/comptes/login/"):
            continue
        seen[path] = (response.status, violations(page), page.evaluate(WIDTH))
    context.close()
    return seen


def test_every_page_has_no_wcag_violation_and_fits_a_phone(browser, portal):
    base, users, representative = portal
    pages = pages_to_audit(representative)
    public = [path for path in pages.values() if path != "/comptes/logout/"]
    visitors = {None: public, Role.AGD: public}
    visitors.update(
        {role: [p for p in public if p.startswith(prefixes)] for role, prefixes in ROLE_PAGES.items()}
    )
    started = time.monotonic()
    audited, problems, ok_routes, per_visitor = 0, {}, set(), {}
    for role, paths in visitors.items():
        for width in WIDTHS:
            for path, (status, found, page_width) in sweep(
                browser, base, users.get(role), paths, width
            ).items():
                audited += 1
                per_visitor[role, width] = per_visitor.get((role, width), 0) + 1
                route = next(route for route, p in pages.items() if p == path)
                if status == EXPECTED_STATUS.get(route, 200):
                    ok_routes.add(route)
                known = KNOWN_VIOLATIONS.get(path, {})
                found = [v for v in found if v.split(" ", 1)[0] not in known]
                if found or page_width[0] > width:
                    problems[role, width, path] = {"violations": found, "width": page_width}
    print(f"{len(pages)} pages, {audited} audits in {time.monotonic() - started:.0f} s: {per_visitor}")
    assert problems == {}, "\n".join(f"{key}: {problem}" for key, problem in problems.items())
    assert len(pages) >= MINIMUM_PAGES
    assert audited >= MINIMUM_AUDITS
    # Every page answered as it should to at least one visitor (a 403 or 404 everywhere would
    # otherwise audit the error page and pass).
    assert sorted(set(pages) - ok_routes) == []
