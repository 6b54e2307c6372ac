"""Run tests/opendata/ckan_side.py with the side venv's Python (CKAN + ckanext-dcat, `make interop-ckan`)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv-ckan" / "bin" / "python"
SCRIPT = Path(__file__).with_name("ckan_side.py")
CONTRACTS = Path(__file__).with_name("contracts")

# Skipped only on a machine where `make interop-ckan` has not run; in CI (`CI` set) they always run.
needs_ckan = pytest.mark.skipif(
    not PYTHON.exists() and not os.environ.get("CI"),
    reason="CKAN absent : lancez `make interop-ckan` (fait par `make test`) pour ces tests.",
)


def run(*args, payload=None):
    """The JSON the script prints; its traceback in the failure message when it fails."""
    done = subprocess.run(
        [str(PYTHON), str(SCRIPT), *map(str, args)],
        input=None if payload is None else json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
