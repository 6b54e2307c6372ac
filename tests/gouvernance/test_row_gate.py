"""Every way out of the portal for a catalogued dataset's rows goes through the row gate (ADR 7).

The test walks every URL pattern of the project. It is kept up to date by the code itself:
- which rows are guarded comes from the catalogue's declarations: the tables read by the sources
  of non-public datasets and by no public one (today ``foncier_gisement``), their models, and the
  registry of sources itself (which serves any dataset's rows by name);
- which views reach them comes from their code: names and SQL strings of the view, followed
  through the project's functions and classes it uses;
- a view that reaches guarded rows must carry a row gate (``serves_rows`` / ``GatedRowsAPIMixin``);
- every gated URL is then requested: anonymous and refused users get none of the rows, an
  authorised agent gets them and a line in the download log;
- and every URL without parameters is requested anonymously and by a refused user: no gisement
  may appear, whatever code produced the page.
"""

import builtins
import inspect
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Manager, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gouvernance.enums import Sensibilite
from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from observatoire.core.rows import row_gate_of
from observatoire.opendata.sources import DATASETS, SOURCES, sync_catalogue
from tests.factories import UserFactory
from tests.foncier.test_pages_foncier import foncier  # noqa: F401 (fixture)

BASE = settings.BASE_DIR
# The portal's own packages (where views come from) and the tests' URL confs that prove the check.
PROJECT = {
    config.name.partition(".")[0]
    for config in apps.get_app_configs()
    if config.path.startswith(str(BASE)) and "site-packages" not in config.path
} | {"tests"}
TABLES = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
SENTINEL = "Dent creuse du Pigonnet"  # a gisement of the ``foncier`` fixture
REFUSED = {302, 401, 403}
LEAKY = "tests.gouvernance.leaky_urls"


def routes(resolver=None, prefix="", namespace=""):
    """(route, URL name with its namespaces, pattern) of every URL pattern, recursively."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name, entry


def _tables(sensitive):
    found = set()
    for declaration in DATASETS.values():
        source = SOURCES.get(declaration.defaults.get("source_technique", ""))
        if source and (declaration.defaults["sensibilite"] != Sensibilite.PUBLIC) is sensitive:
            found |= {table.lower() for table in TABLES.findall(source.sql)}
    return found


def guarded_tables():
    """Tables whose rows leave the portal only as a non-public dataset."""
    return _tables(sensitive=True) - _tables(sensitive=False)


def _in_project(obj):
    return (getattr(obj, "__module__", None) or "").partition(".")[0] in PROJECT


class Reach:
    """Does a view's code reach guarded rows (their models, their tables, the registry of sources)?"""

    def __init__(self, tables):
        self.tables = tables
        self.models = {m for m in apps.get_models() if m._meta.db_table in tables}
        self.seen = set()

    def is_target(self, value):
        if isinstance(value, str):
            return any(re.search(rf"\b{table}\b", value) for table in self.tables)
        if value is SOURCES or value in self.models:
            return True
        return isinstance(value, (Manager, QuerySet)) and value.model in self.models

    def reaches(self, obj):
        try:
            if self.is_target(obj):
                return True
        except TypeError:  # unhashable values
            return False
        if id(obj) in self.seen:
            return False
        self.seen.add(id(obj))
        callable_ = inspect.isfunction(obj) or inspect.isclass(obj)
        if callable_ and _in_project(obj) and row_gate_of(obj) is not None:
            return False  # behind a gate
        if isinstance(obj, (staticmethod, classmethod)) or inspect.ismethod(obj):
            return self.reaches(obj.__func__)
        if isinstance(obj, property):
            return any(self.reaches(f) for f in (obj.fget, obj.fset) if f)
        if inspect.isclass(obj):
            return any(self.reaches(v) for k in obj.__mro__ if _in_project(k) for v in vars(k).values())
        if not inspect.isfunction(obj):
            return False
        # Decorators and as_view(): the wrapped function, the view class, the closure's cells.
        inner = [getattr(obj, a) for a in ("__wrapped__", "view_class", "cls") if hasattr(obj, a)]
        inner += [cell.cell_contents for cell in obj.__closure__ or () if cell.cell_contents is not None]
        if any(self.reaches(value) for value in inner):
            return True
        return _in_project(obj) and self.code_reaches(obj.__code__, obj.__globals__)

    def code_reaches(self, code, namespace):
        for const in code.co_consts:
            if inspect.iscode(const) and self.code_reaches(const, namespace):
                return True
            if isinstance(const, str) and self.is_target(const):
                return True
        for name in code.co_names:
            value = namespace.get(name, getattr(builtins, name, None))
            if inspect.ismodule(value):  # module.attribute: follow the attributes the code names
                if value.__name__.partition(".")[0] in PROJECT and any(
                    self.reaches(getattr(value, a)) for a in code.co_names if hasattr(value, a)
                ):
                    return True
            elif value is not None and self.reaches(value):
                return True
        return False


def ungated(resolver=None):
    """Routes whose view reaches guarded rows without a row gate."""
    tables = guarded_tables()
    return [
        route
        for route, _, pattern in routes(resolver)
        if row_gate_of(pattern.callback) is None and Reach(tables).reaches(pattern.callback)
    ]


def test_the_catalogue_guards_the_gisements_table():
    assert "foncier_gisement" in guarded_tables()
    # Shared with the public anonymised reports and the territory: not guarded as a table.
    assert "signalements_signalement" not in guarded_tables()
    assert "territoires_commune" not in guarded_tables()


def test_every_view_reaching_guarded_rows_goes_through_the_gate():
    assert ungated() == []


def test_a_new_view_serving_gisements_without_the_gate_is_caught():
    assert ungated(get_resolver(LEAKY)) == ["fuite/gisements/", "fuite/gisements-sql/"]


def test_gated_views_declare_catalogued_datasets_that_read_what_they_serve():
    gates = [(route, row_gate_of(p.callback)) for route, _, p in routes() if row_gate_of(p.callback)]
    assert {route for route, _ in gates} >= {
        "foncier/gisements/",
        "api/v1/foncier/gisements.geojson",
        "gouvernance/catalogue/<slug:slug>/telecharger/",
        "api/v1/catalogue/<slug:slug>/telecharger/",
    }
    for route, gate in gates:
        assert bool(gate.slug) != bool(gate.slug_kwarg), route
        if gate.slug:
            assert gate.slug in DATASETS, route


def gated_urls():
    """(route, URL, dataset) of every gated view; generic downloads are asked for the gisements."""
    for route, name, pattern in routes():
        gate = row_gate_of(pattern.callback)
        if gate is not None:
            kwargs = {gate.slug_kwarg: "gisements-fonciers"} if gate.slug_kwarg else {}
            yield route, reverse(name, kwargs=kwargs), gate.slug or "gisements-fonciers"


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def gisements(foncier):  # noqa: F811
    sync_catalogue()


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def refused():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.PARTENAIRE))
    return client


def test_gated_urls_serve_rows_only_to_authorised_users_and_log_each_fetch(gisements, anonymous, refused):
    """The gisements' pages show the sentinel gisement to the agent only; pages of other restricted
    datasets (the DVF map) are refused the same way and log the agent's visit under their dataset."""
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    for route, url, slug in gated_urls():
        for client in (anonymous, refused):
            response = client.get(url)
            assert response.status_code in REFUSED and SENTINEL not in body(response), route
        authorised = Client()
        authorised.force_login(agent)
        logged = Telechargement.objects.filter(autorise=True, user=agent, jeu__slug=slug)
        before = logged.count()
        response = authorised.get(url)
        assert response.status_code == 200, route
        assert (SENTINEL in body(response)) is (slug == "gisements-fonciers"), route
        assert logged.count() == before + 1, route


def plain_urls(resolver=None):
    """Routes without parameters (the pages and APIs anyone can type), admin aside."""
    for route, _, pattern in routes(resolver):
        if route.startswith("admin/") or "<" in route or "(?P" in route or row_gate_of(pattern.callback):
            continue
        yield "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def leaks(clients):
    return sorted({url for url in plain_urls() for client in clients if SENTINEL in body(client.get(url))})


def test_no_page_without_the_gate_shows_a_gisement(gisements, anonymous, refused):
    assert len(list(plain_urls())) > 40
    assert leaks([anonymous, refused]) == []


def test_the_page_scan_catches_a_view_that_leaks(gisements, anonymous, settings):
    settings.ROOT_URLCONF = LEAKY
    assert leaks([anonymous]) == ["/fuite/gisements-sql/", "/fuite/gisements/"]
