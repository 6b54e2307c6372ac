import pytest
from django.core.files.base import ContentFile

from gouvernance.enums import Frequence, Sensibilite, Theme
from gouvernance.exports import document_pdf
from gouvernance.models import DocumentGouvernance, JeuDeDonnees, VersionDocument
from gouvernance.models.documents import TypeDocument, Visibilite
from observatoire.accounts.enums import Role
from observatoire.opendata.sources import sync_catalogue
from tests.factories import UserFactory


@pytest.fixture
def jeu(territoire):
    """A restricted dataset (grant + audited download) over the communes' rows."""
    sync_catalogue()
    return JeuDeDonnees.objects.create(
        slug="communes-convention", titre="Communes (convention)", description="Jeu sous convention.",
        theme=Theme.TERRITOIRE, producteur="Métropole", frequence=Frequence.ANNUAL,
        sensibilite=Sensibilite.RESTREINT, motif_sensibilite="Convention d’échange",
        source_technique="communes",
    )  # fmt: skip


@pytest.fixture
def agd():
    return UserFactory(email="agd@exemple.fr", role=Role.AGD, is_staff=True)


@pytest.fixture
def pdf_bytes():
    return document_pdf("Charte de test", ["Premier paragraphe."])


@pytest.fixture
def make_document(pdf_bytes):
    def make(slug, visibilite=Visibilite.PUBLIC, kind=TypeDocument.CHARTE, **fields):
        doc = DocumentGouvernance.objects.create(
            slug=slug, titre=slug.replace("-", " ").capitalize(), type=kind, visibilite=visibilite, **fields
        )
        VersionDocument.objects.create(document=doc, fichier=ContentFile(pdf_bytes, name="v.pdf"))
        return doc

    return make
