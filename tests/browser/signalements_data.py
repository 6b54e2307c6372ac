"""What the report browser tests share: « Propreté » open to everyone in Marseille, a login."""

from playwright.sync_api import Page

from signalements.demo import load_categories
from signalements.enums import Ouverture
from signalements.models import Categorie, CategorieCommune
from tests.factories import PASSWORD


def open_proprete_in_marseille(territoire):
    load_categories()
    proprete = Categorie.objects.get(code="proprete")
    CategorieCommune.objects.create(
        commune=territoire.get(insee="13055"), categorie=proprete, ouverture=Ouverture.TOUS
    )
    return proprete


def log_in(page: Page, base, email):
    page.goto(base + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
