"""Every demo role reaches, by following links from the home page, every page it has a right to.

A breadth-first crawl with the test client over same-origin <a href>, signed in as each role of
observatoire/accounts/demo.py: no page answers 5xx (nor 403/404: a link shown is a link allowed),
and each role's pages (a literal table, so a missing link or a broken guard shows up as a named
page) are among those reached.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from gouvernance.demo import load_demo_gouvernance
from gouvernance.demo_acces import load_demo_acces
from gouvernance.models import DemandeAcces
from observatoire.accounts.demo import DEMO_ACCOUNTS, DEMO_DOMAIN, load_demo_accounts
from observatoire.accounts.models import User
from observatoire.opendata.sources import sync_catalogue

MAX_PAGES = 250
# Not followed: repeated item pages (92 commune portraits…), files, the API and the admin's inside.
NOT_FOLLOWED = ("/territoires/", "/api/", "/open311/", "/static/", "/media/", "/opendata/", "/comptes/logout")
LEAVES = ("/admin/",)  # visited, not read further
FILES = (".pdf", ".csv", ".xlsx", ".json", ".geojson", ".zip")

CATALOGUE = "/gouvernance/catalogue/"
ADMIN = "/admin/"
PAGES = {
    "citoyen": {"/comptes/profil/", "/signalements/mes-signalements/", "/signalements/nouveau/"},
    "agent.aix": {"/comptes/profil/", "/signalements/mes-signalements/", CATALOGUE},
    "agent.metropole": {"/comptes/profil/", "/signalements/mes-signalements/", CATALOGUE},
    "elu": {CATALOGUE, "/signalements/tableau-de-bord/"},
    "etudes": {CATALOGUE, ADMIN, "/admin/imports/importjob/"},
    "gestionnaire": {"/signalements/gestion/", "/signalements/tableau-de-bord/"},
    "admin.marseille": {
        CATALOGUE,
        "/signalements/gestion/categories/13055/",
        "/signalements/tableau-de-bord/13055/",
    },
    "partenaire": {
        CATALOGUE,
        "/gouvernance/catalogue/gisements-fonciers/",
        "/gouvernance/acces/mes-demandes/",
    },
    "agd": {
        CATALOGUE,
        "/gouvernance/acces/demandes/",
        "/gouvernance/acces/demandes/{demande}/decider/",
        "/gouvernance/telechargements/",
        "/gouvernance/registre/",
        "/gouvernance/comite/",
        "/admin/imports/importjob/",
        ADMIN,
    },
    "dpo": {CATALOGUE, "/gouvernance/registre/", "/gouvernance/registre/signalements/", ADMIN},
    "rssi": {CATALOGUE, "/gouvernance/telechargements/", ADMIN},
    "superadmin": {
        CATALOGUE,
        "/gouvernance/acces/demandes/",
        "/gouvernance/telechargements/",
        "/gouvernance/registre/",
        "/signalements/gestion/",
        "/signalements/gestion/categories/",
        "/signalements/tableau-de-bord/",
        "/admin/imports/importjob/",
    },
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def same_origin_paths(html):
    parser = Links()
    parser.feed(html)
    for href in parser.hrefs:
        parts = urlsplit(urldefrag(href).url)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            yield parts.path  # query strings (facets, pages, exports) lead to the same pages


def crawl(client):
    """Paths reached from the home page by links, with their status (a redirect: its target path)."""
    seen, queue = {"/": None}, deque(["/"])
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code in (301, 302) and (location := response["Location"]).startswith("/"):
            target = urlsplit(location).path  # e.g. a communal dashboard for a communal account
            seen[path] = seen.setdefault(target, None) or target
            if seen[target] is None:
                queue.append(target)
            continue
        if response.streaming:  # a file: read to the end, which closes it (the client's wrapper)
            b"".join(response.streaming_content)
            continue
        html = response.get("Content-Type", "").startswith("text/html") and response.status_code == 200
        text = response.content.decode() if html else ""
        if path.startswith(LEAVES):
            continue
        for link in same_origin_paths(text):
            if link not in seen and not link.startswith(NOT_FOLLOWED) and not link.endswith(FILES):
                seen[link] = None
                queue.append(link)
    return seen


@pytest.fixture
def demo_roles(territoire):
    """The demo accounts and their governance records; renamed so they may sign in with DEBUG off."""
    load_demo_accounts()
    sync_catalogue()
    load_demo_gouvernance()
    load_demo_acces()
    users = {}
    for user in User.objects.filter(email__endswith="@" + DEMO_DOMAIN):
        login = user.email.split("@")[0]
        user.email = f"{login}@exemple.fr"
        user.save(update_fields=["email"])
        users[login] = user
    return users


def test_the_table_covers_every_demo_role():
    assert set(PAGES) == {account.login for account in DEMO_ACCOUNTS}


@pytest.mark.parametrize("login", sorted(PAGES))
def test_each_role_reaches_its_pages_by_links_from_home(client, demo_roles, login):
    client.force_login(demo_roles[login])
    demande = DemandeAcces.objects.get().pk
    reached = crawl(client)
    # No 5xx, and no link offered to this role leads to a refusal or a missing page either.
    errors = {path: status for path, status in reached.items() if isinstance(status, int) and status >= 400}
    assert errors == {}
    expected = {path.format(demande=demande) for path in PAGES[login]}

    def answers(path):
        status = reached.get(path)
        return answers(status) if isinstance(status, str) else status == 200

    missing = {path for path in expected if not answers(path)}
    assert missing == set(), f"{login} cannot reach {sorted(missing)} ({len(reached)} pages crawled)"
