"""What the offline-filing tests share: the service worker's bundle, built as `make assets` does."""

import shutil
import subprocess

import pytest
from django.conf import settings

from signalements.hors_ligne.views import SW_BUNDLE

SOURCE = settings.BASE_DIR / "signalements" / "hors_ligne" / "service-worker.js"


@pytest.fixture(scope="session")
def sw_bundle():
    """The esbuild bundle of the worker, rebuilt when its source is newer (a run without `make`)."""
    if not SW_BUNDLE.exists() or SW_BUNDLE.stat().st_mtime < SOURCE.stat().st_mtime:
        npm = shutil.which("npm")
        subprocess.run([npm, "run", "--silent", "build:sw"], cwd=settings.BASE_DIR, check=True)
    return SW_BUNDLE
