"""A second instance of this portal, its own database and gunicorn, acting as a service's system.

Our instance's Celery tasks file reports on its Open311 server and poll it; its « manager » moves
them with its own workflow, through ``manage.py shell`` in its settings (``run_there``).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.signalements.liaisons_service_settings"
PORT = int(os.environ.get("LIAISONS_SERVICE_PORT", "8831"))
CLIENT_NAME = "Observatoire métropolitain (tests des liaisons)"


def _database_url():
    ours = urlsplit(os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire"))
    return urlunsplit(ours._replace(path=ours.path + "_service")), ours


def _environment():
    url, _ = _database_url()
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(ROOT)}


def _create_database():
    url, ours = _database_url()
    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(ours._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _manage(*args, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} (service instance): {result.stderr[-3000:]}")
    return result.stdout


SETUP = """
import json
from django.apps import apps
from django.core.management import call_command
from observatoire.accounts.roles import sync_role_groups
from observatoire.territoires.models import Commune
from observatoire.accounts.models import User
from signalements.demo import load_categories
from signalements.enums import Ouverture, ServiceType
from signalements.models import ApiKey, Categorie, CategorieCommune, IdempotencyKey, Question, Service
from signalements.models import Signalement
sync_role_groups(apps)
# Each run starts from no report: counts on their side prove what our instance filed.
IdempotencyKey.objects.all().delete()
Signalement.objects.all().delete()
if not Commune.objects.filter(insee="13055").exists():
    call_command("import_territoire", epci="200054807", verbosity=0)
load_categories()
service, _ = Service.objects.get_or_create(
    nom="Direction de la propreté (leur système)", defaults={"type": ServiceType.METROPOLITAIN}
)
CategorieCommune.objects.update_or_create(
    commune=Commune.objects.get(insee="13055"),
    categorie=Categorie.objects.get(code="proprete"),
    defaults={"ouverture": Ouverture.TOUS, "service": service},
)
User.objects.get_or_create(
    email="responsable@service.exemple.fr", defaults={"is_superuser": True, "is_staff": True}
)
# Their service definition asks one question; ours asks another one too, that they never get.
Question.objects.get_or_create(
    categorie=Categorie.objects.get(code="proprete"), code="volume", defaults={"libelle": "Volume estimé"}
)
key, _ = ApiKey.objects.get_or_create(name=%r)
print(json.dumps({"api_key": key.key}))
"""

MOVE = """
from observatoire.accounts.models import User
from signalements import workflow
from signalements.models import Signalement
manager = User.objects.get(email="responsable@service.exemple.fr")
report = Signalement.objects.get(pk=%d)
for status, note in %r:
    workflow.transition(report, status, user=manager, note=note)
print(report.status)
"""

READ = """
import json
from signalements.models import Signalement
print(json.dumps([
    {
        "pk": s.pk,
        "description": s.description,
        "reporter_email": s.reporter_email,
        "status": s.status,
        "reponses": s.reponses,
    }
    for s in Signalement.objects.order_by("pk")
]))
"""


class ServiceInstance:
    """The other portal: prepared once (migrations, territory, « propreté » open, an API key)."""

    def __init__(self):
        self.process = None
        self.api_key = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{PORT}/open311/v2/"

    def prepare(self):
        _create_database()
        _manage("migrate", "--noinput", "-v", "0")
        self.api_key = json.loads(_manage("shell", "-c", SETUP % CLIENT_NAME).strip().splitlines()[-1])[
            "api_key"
        ]

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("gunicorn", path=str(Path(sys.executable).parent)),
                *("--bind", f"127.0.0.1:{PORT}", "--workers", "1", "--timeout", "60"),
                "observatoire.wsgi:application",
            ],
            cwd=ROOT,
            env=_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base_url + "services.json", timeout=10).ok:
                    return
            except requests.RequestException:
                pass  # not listening yet, or loading Django on its first request
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn (service instance) exited")
            time.sleep(0.3)
        raise RuntimeError("service instance did not answer")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.process = None

    def move(self, pk, *steps):
        """Their manager moves their report ``pk`` through ``steps`` of (status, public note)."""
        return _manage("shell", "-c", MOVE % (pk, list(steps))).strip()

    def reports(self):
        return json.loads(_manage("shell", "-c", READ).strip().splitlines()[-1])
