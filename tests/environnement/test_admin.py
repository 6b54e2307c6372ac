"""Imported environnement rows in the admin: listed for those who manage the observatories, deleted by
them when a file was imported by mistake, and what derives from the rows follows the deletion."""

import pytest
from django.urls import reverse

from environnement.couverture import recompute_couverture
from environnement.models import ArreteCatnat, CouvertureCommune, EspaceNaturel
from environnement.tasks import schedule_recompute
from observatoire.accounts.enums import Role
from tests.factories import UserFactory


@pytest.fixture
def etudes(client):
    client.force_login(UserFactory(role=Role.CHARGE_ETUDES, is_staff=True))
    return client


def delete(client, model, pk):
    url = reverse(f"admin:environnement_{model._meta.model_name}_delete", args=[pk])
    return client.post(url, {"post": "yes"})


def test_deleting_a_decree_asks_for_the_indicators_after_the_commit(
    etudes, environnement, django_capture_on_commit_callbacks
):
    decree = ArreteCatnat.objects.filter(commune__insee="13055").get()
    with django_capture_on_commit_callbacks() as callbacks:
        assert delete(etudes, ArreteCatnat, decree.pk).status_code == 302
    assert not ArreteCatnat.objects.filter(pk=decree.pk).exists()
    assert schedule_recompute in callbacks


def test_deleting_an_area_recomputes_the_coverage_in_the_same_transaction(
    etudes, environnement, django_capture_on_commit_callbacks
):
    recompute_couverture()
    znieff = EspaceNaturel.objects.get(type="znieff1")
    covered = CouvertureCommune.objects.filter(type="znieff1", commune__insee="13001").get()
    assert covered.surface_ha > 0
    with django_capture_on_commit_callbacks() as callbacks:
        assert delete(etudes, EspaceNaturel, znieff.pk).status_code == 302
    assert not CouvertureCommune.objects.filter(type="znieff1", surface_ha__gt=0).exists()
    assert schedule_recompute in callbacks


def test_the_coverage_follows_the_areas_and_is_not_deleted_on_its_own(etudes, environnement):
    recompute_couverture()
    row = CouvertureCommune.objects.first()
    assert delete(etudes, CouvertureCommune, row.pk).status_code == 403


def test_an_agent_deletes_nothing(client, environnement):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN, is_staff=True))
    decree = ArreteCatnat.objects.first()
    assert delete(client, ArreteCatnat, decree.pk).status_code == 403
    assert ArreteCatnat.objects.filter(pk=decree.pk).exists()
