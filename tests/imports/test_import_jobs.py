"""Imports started from the admin: upload, worker, progress, outcome, and who may do it."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from habitat.models import ConstructionAnnuelle
from observatoire.accounts.enums import Role
from observatoire.celery import app
from observatoire.imports.base import REGISTRY
from observatoire.imports.models import ImportJob, Statut
from observatoire.imports.tasks import read_progress, run_import
from tests.factories import UserFactory
from tests.habitat.test_sitadel import GOOD

ADD_URL = reverse("admin:imports_importjob_add")


def upload(client, text, kind="sitadel", name="sitadel.csv", dry_run=False):
    data = {"kind": kind, "fichier": SimpleUploadedFile(name, text.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(ADD_URL, data)


@pytest.fixture
def etudes(client):
    user = UserFactory(role=Role.CHARGE_ETUDES, is_staff=True)
    client.force_login(user)
    return user


def test_every_importer_is_registered_with_a_french_label():
    assert "sitadel" in REGISTRY
    assert all(importer.label and importer.kind == kind for kind, importer in REGISTRY.items())


def test_upload_then_worker_imports_and_records_the_summary(
    client, etudes, territoire, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, GOOD)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.created_by, job.kind) == (Statut.EN_ATTENTE, etudes, "sitadel")
    assert len(callbacks) == 1  # the task is sent only once the upload is committed

    assert run_import(job.pk) == Statut.TERMINE
    job.refresh_from_db()
    assert job.summary["lues"] == 6 and job.summary["ajoutees"] == 4 and job.summary["hors_territoire"] == 1
    assert read_progress(job) == {"done": 6, "total": 6}
    assert ConstructionAnnuelle.objects.count() == 4
    # A second delivery of the same message does nothing.
    assert run_import(job.pk) == "déjà traité"

    page = client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    assert "4 ajoutées" in page.content.decode() and 'http-equiv="refresh"' not in page.content.decode()


def test_rejected_file_names_the_line_and_keeps_the_data(client, etudes, territoire):
    upload(client, GOOD)
    run_import(ImportJob.objects.get().pk)
    upload(client, GOOD + "2023;13001;Collectif;douze;1;1;1\n")
    job = ImportJob.objects.latest("created_at")
    assert run_import(job.pk) == Statut.REJETE
    job.refresh_from_db()
    assert "rien n'a été importé" in job.message
    assert job.errors == ["ligne 8, colonne LOG_AUT : nombre invalide « douze »."]
    assert (
        ConstructionAnnuelle.objects.get(
            commune__insee="13001", annee=2023, type_logement="Collectif"
        ).logements_autorises
        == 120
    )


def test_dry_run_from_the_admin_writes_nothing(client, etudes, territoire):
    upload(client, GOOD, dry_run=True)
    run_import(ImportJob.objects.get().pk)
    assert ImportJob.objects.get().status == Statut.TERMINE
    assert not ConstructionAnnuelle.objects.exists()


def test_wrong_extension_is_refused_in_french(client, etudes):
    response = upload(client, GOOD, name="sitadel.pdf")
    assert response.status_code == 200
    assert "Extension attendue" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENT_METROPOLITAIN, Role.RSSI, Role.PARTENAIRE])
def test_only_those_who_manage_observatories_may_import(client, role):
    client.force_login(UserFactory(role=role, is_staff=role == Role.RSSI))
    response = upload(client, GOOD)
    assert response.status_code in (302, 403)
    assert not ImportJob.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_picks_up_the_upload(client):
    # A superuser: a transactional test may start after another one flushed the role groups.
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        upload(client, "ANNEE;COMM\n2023;13001\n")
        job = ImportJob.objects.get()
        for _ in range(100):
            job.refresh_from_db()
            if not job.is_running:
                break
            time.sleep(0.1)
    assert job.status == Statut.REJETE
    assert "Colonne(s) absente(s)" in job.message


def test_the_worker_reads_the_upload_under_its_own_name(client, etudes, territoire):
    """The REI's wide CSV carries no year: the file's name says it, and the worker keeps that name."""
    from pathlib import Path

    from fiscalite.models import ElementImposition

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "rei" / "REI_2023.csv"
    data = {"kind": "rei", "fichier": SimpleUploadedFile("REI_2023.csv", sample.read_bytes())}
    assert client.post(ADD_URL, data).status_code == 302
    job = ImportJob.objects.get()
    assert run_import(job.pk) == Statut.TERMINE, job.message
    assert set(ElementImposition.objects.values_list("annee", flat=True)) == {2023}


def test_the_plain_kind_beside_the_variants_reads_what_they_say_in_the_file_name(client, etudes, territoire):
    """DGCL criteria: one kind per year for a nameless file, and the plain kind for a file named by year."""
    from pathlib import Path

    from fiscalite.models import CriteresDotation
    from observatoire.imports.base import choices

    offered = dict(choices())
    assert "dgcl_criteres:2024" in offered
    assert offered["dgcl_criteres"].endswith("année lue dans le nom du fichier")
    sample = Path(__file__).resolve().parents[2] / "fixtures" / "dgcl" / "criteres_repartition_2022.csv"
    upload = SimpleUploadedFile("criteres_repartition_2022.csv", sample.read_bytes())
    assert client.post(ADD_URL, {"kind": "dgcl_criteres", "fichier": upload}).status_code == 302
    job = ImportJob.objects.get()
    assert run_import(job.pk) == Statut.TERMINE, job.message
    assert set(CriteresDotation.objects.values_list("annee", flat=True)) == {2022}


def test_the_kinds_are_grouped_by_observatoire_in_the_upload_form(client, etudes):
    from observatoire.observatoires.models import Observatoire

    Observatoire.objects.get_or_create(slug="fiscalite", defaults={"nom": "Observatoire de la fiscalité"})
    response = client.get(ADD_URL)
    assert response.status_code == 200
    groups = dict(response.context["adminform"].form.fields["kind"].choices)
    assert "Observatoire de la fiscalité" in groups and "Signalements" in groups
    assert "rei" in dict(groups["Observatoire de la fiscalité"])
    assert "rei" not in dict(groups["Signalements"])
    html = response.content.decode()
    assert '<optgroup label="Observatoire de la fiscalité">' in html and "css/admin-imports.css" in html
