"""Rows only the portal writes (imported data, journals, records) are read-only in the admin: listed and
shown, never added nor changed there, not even by a superuser (observatoire.core.admin)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from observatoire.core.admin import ReadOnlyAdminMixin
from tests.factories import UserFactory

READ_ONLY = {
    "mobilite.reseau",
    "mobilite.ligne",
    "mobilite.arret",
    "mobilite.flux",
    "fiscalite.elementimposition",
    "fiscalite.agregatcomptable",
    "fiscalite.criteresdotation",
    "environnement.arretecatnat",
    "environnement.planprevention",
    "environnement.indiceatmo",
    "environnement.emissioncommune",
    "environnement.espacenaturel",
    "environnement.couverturecommune",
    "opendata.publication",
    "opendata.journalpublication",
    "opendata.diffusion",
    "connexions.evenementconnexion",
    "connexions.activesession",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "signalements.categoriecommunechange",
    "identite.identitefederee",
}


def read_only_models():
    return {
        model._meta.label_lower: model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ReadOnlyAdminMixin)
    }


def test_the_portals_records_are_read_only_admins():
    assert set(read_only_models()) >= READ_ONLY


@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_a_superuser_lists_them_but_cannot_add(client, label):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    model = read_only_models()[label]
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403
    model_admin = admin.site._registry[model]
    request = client.get(reverse(f"{name}_changelist")).wsgi_request
    assert not model_admin.has_change_permission(request)


THEMATIC = {"mobilite", "fiscalite", "environnement"}
IMPORTED = sorted(label for label in READ_ONLY if label.split(".")[0] in THEMATIC)


@pytest.mark.parametrize("label", IMPORTED)
def test_imported_rows_are_listed_for_those_who_manage_the_observatories_only(client, label):
    """Those who upload the files see the rows they gave, by the role table, not per-model permissions."""
    from observatoire.accounts.enums import Role

    model = read_only_models()[label]
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.force_login(UserFactory(role=Role.CHARGE_ETUDES, is_staff=True))
    assert client.get(changelist).status_code == 200
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN, is_staff=True))
    assert client.get(changelist).status_code == 403


@pytest.mark.parametrize("label", IMPORTED)
def test_deleting_imported_rows_asks_for_their_apps_recompute(label):
    model = read_only_models()[label]
    recompute = admin.site._registry[model].recompute
    tasks = f"{model._meta.app_label}.tasks"
    assert (recompute.__module__, recompute.__name__) == (tasks, "schedule_recompute")
