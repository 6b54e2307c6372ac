"""A real OpenID Provider per federation, run by Node on loopback for the whole session.

``tests/identite/op/server.mjs`` starts oidc-provider (npm) shaped like ProConnect or FranceConnect;
the portal under test (pytest-django's live server) is registered with it as a client, exactly as it
would be with the real federations. The refusal tests switch the OP's faults on through its
``/__test/faults`` endpoint and every test switches them off again.
"""

import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.browser.test_accessibility import audit_page  # noqa: F401 - Chromium without our CSP, for axe

OP_SCRIPT = Path(__file__).parent / "op" / "server.mjs"
CLIENT_SECRET = "secret-de-test-du-portail"


@dataclass
class TestProvider:
    slug: str
    issuer: str
    client_id: str
    process: subprocess.Popen

    def faults(self, **faults):
        requests.post(self.issuer + "/__test/faults", json=faults, timeout=5).raise_for_status()

    def settings(self, **overrides):
        return {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret": CLIENT_SECRET,
            "scopes": "",
            **overrides,
        }


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(slug, base_url, userinfo="jwt"):
    node = shutil.which("node")
    if node is None or not (OP_SCRIPT.parents[3] / "node_modules" / "oidc-provider").exists():
        pytest.fail("node and oidc-provider (npm ci) are needed by the identity tests")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {
        "PATH": "/usr/bin:/bin",
        "OP_PROFILE": slug,
        "OP_USERINFO": userinfo,
        "OP_PORT": str(port),
        "OP_ISSUER": issuer,
        "OP_CLIENT_ID": f"portail-{slug}",
        "OP_CLIENT_SECRET": CLIENT_SECRET,
        "OP_REDIRECT_URIS": f"{base_url}/comptes/{slug}/retour/",
        "OP_POST_LOGOUT_REDIRECT_URIS": f"{base_url}/comptes/deconnexion/retour/",
    }
    process = subprocess.Popen(
        [node, str(OP_SCRIPT)],
        cwd=OP_SCRIPT.parents[3],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("ready"):
        process.kill()
        pytest.fail(f"the {slug} OpenID Provider did not start: {line!r}")
    return TestProvider(slug=slug, issuer=issuer, client_id=f"portail-{slug}", process=process)


@pytest.fixture(scope="session")
def _providers(live_server):
    started = {slug: _start(slug, live_server.url) for slug in ("proconnect", "franceconnect")}
    # A provider answering userinfo in plain JSON, as many OpenID Providers do.
    started["json"] = _start("proconnect", live_server.url, userinfo="json")
    yield started
    for provider in started.values():
        provider.process.terminate()
        provider.process.wait(timeout=10)
        provider.process.stdout.close()


@pytest.fixture
def op(_providers, settings, territoire):
    """Both providers configured on the portal; their faults off after the test."""
    settings.IDENTITE_PROVIDERS = {
        slug: _providers[slug].settings() for slug in ("proconnect", "franceconnect")
    }
    yield _providers
    for provider in _providers.values():
        provider.faults()


@pytest.fixture
def proconnect(op):
    return op["proconnect"]


@pytest.fixture
def proconnect_json_userinfo(op, settings):
    """ProConnect played by the provider whose userinfo is JSON."""
    settings.IDENTITE_PROVIDERS = {"proconnect": op["json"].settings()}
    return op["json"]


@pytest.fixture
def franceconnect(op):
    return op["franceconnect"]
