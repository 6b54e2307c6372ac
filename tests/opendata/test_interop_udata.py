"""data.gouv.fr harvests the catalogue: udata's own DCAT harvester, run against the live test server.

udata runs in .venv-udata (``make interop-udata``) through tests/opendata/udata_harvest.py, on mongomock.
Skipped only when that venv is missing outside CI; in CI it must run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gouvernance.enums import Licence
from gouvernance.models import JeuDeDonnees
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from tests.opendata.sitadel_rows import add_sitadel_rows

ROOT = Path(__file__).resolve().parents[2]
UDATA_PYTHON = ROOT / ".venv-udata" / "bin" / "python"
HARVEST = Path(__file__).with_name("udata_harvest.py")
# Our frequencies (EU codes) as udata names them.
FREQUENCIES = {"DAILY": "daily", "MONTHLY": "monthly", "ANNUAL": "annual", "IRREG": "irregular"}

pytestmark = pytest.mark.skipif(
    not UDATA_PYTHON.exists() and not os.environ.get("CI"),
    reason="udata absent : lancez `make interop-udata` (le test tourne toujours en CI)",
)


@pytest.fixture
def harvested(request, live_server, settings, territoire, tmp_path, monkeypatch):
    extension = getattr(request, "param", "ttl")  # udata tells the RDF syntax by the URL's extension
    settings.SITE_URL = live_server.url
    settings.OPENDATA_CONTACT_EMAIL = "donnees@exemple.fr"
    monkeypatch.setattr("observatoire.opendata.dcat.PAGE_SIZE", 4)  # three Hydra pages to walk
    sync_catalogue()
    JeuDeDonnees.objects.filter(slug="zonage-plui").update(licence=Licence.ODBL)
    add_sitadel_rows()
    jeux = list(JeuDeDonnees.objects.publishable().exclude(source_technique=""))
    for jeu in jeux:
        publish(jeu)
    output = tmp_path / "udata.json"
    run = subprocess.run(
        [str(UDATA_PYTHON), str(HARVEST), f"{live_server.url}/opendata/catalog.{extension}", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-5000:]
    result = json.loads(output.read_text())
    by_uri = {d["harvest"]["uri"]: d for d in result["datasets"]}
    return result, {
        jeu.slug: (JeuDeDonnees.objects.get(pk=jeu.pk), by_uri.get(_uri(live_server, jeu))) for jeu in jeux
    }


def _uri(live_server, jeu):
    return f"{live_server.url}{jeu.get_absolute_url()}"


def _print_fields(dataset):
    """What udata keeps of one dataset, field by field (shown with ``pytest -s``)."""
    lines = [f"udata keeps of « {dataset['title']} »:"]
    for key, value in dataset.items():
        if key != "resources":
            lines.append(f"  {key:<18} {json.dumps(value, ensure_ascii=False)[:160]}")
    for resource in dataset["resources"]:
        lines.append(f"  resource {resource['format']}:")
        lines += [f"    {k:<16} {json.dumps(v, ensure_ascii=False)[:140]}" for k, v in resource.items()]
    print("\n".join(lines), file=sys.stderr)


@pytest.mark.parametrize("harvested", ["ttl", "jsonld", "rdf"], indirect=True)
def test_udata_creates_every_dataset_with_every_resource(harvested):
    result, datasets = harvested
    assert result["job"]["status"] == "done", result["job"]
    assert [i for i in result["job"]["items"] if i["status"] != "done"] == []
    assert len(result["datasets"]) == len(datasets) >= 9  # 9 before issue 16's observatories
    for slug, (jeu, dataset) in datasets.items():
        assert dataset is not None, slug
        assert (dataset["title"], dataset["description"]) == (jeu.titre, jeu.description)
        ressources = {r.format: r for r in jeu.latest.ressources.all()}
        assert sorted(r["format"] for r in dataset["resources"]) == sorted(ressources)
        for resource in dataset["resources"]:
            ressource = ressources[resource["format"]]
            assert resource["url"].endswith(f"/opendata/{slug}/telecharger/{ressource.format}/")
            assert (resource["mime"], resource["filesize"]) == (ressource.media_type, ressource.taille)
            # udata does not read the spdx:checksum the shapes require (ADR 0011): it keeps it in words.
            assert f"Empreinte SHA-256 : {ressource.sha256}" in resource["description"]
    _print_fields(datasets["construction-neuve-sitadel"][1])


def test_udata_recognises_licences_and_frequencies(harvested):
    _, datasets = harvested
    for slug, (jeu, dataset) in datasets.items():
        assert dataset["license"] == ("odc-odbl" if jeu.licence == Licence.ODBL else "lov2"), slug
        assert dataset["frequency"] == FREQUENCIES[jeu.frequence], slug
    assert datasets["zonage-plui"][1]["license"] == "odc-odbl"


def test_udata_keeps_coverage_contact_and_tags(harvested):
    _, datasets = harvested
    assert datasets["construction-neuve-sitadel"][1]["temporal_coverage"] == ["2019-01-01", "2023-12-31"]
    for slug, (_jeu, dataset) in datasets.items():
        assert dataset["spatial"]["type"] == "MultiPolygon", slug
        (ring,) = dataset["spatial"]["coordinates"][0]
        assert 4.6 < min(x for x, _ in ring) < 5.0 and 43.1 < min(y for _, y in ring) < 43.3
        contacts = {(c["role"], c["email"]) for c in dataset["contact_points"]}
        assert ("contact", "donnees@exemple.fr") in contacts, slug
        assert {c["role"] for c in dataset["contact_points"]} >= {"contact", "publisher", "creator"}
        assert dataset["tags"], slug
        assert dataset["schema"] and dataset["schema"].endswith(f"/opendata/{slug}/schema.json")
