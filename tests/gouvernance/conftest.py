import pytest
from django.core.files.base import ContentFile

from gouvernance.exports import document_pdf
from gouvernance.models import DocumentGouvernance, VersionDocument
from gouvernance.models.documents import TypeDocument, Visibilite
from observatoire.accounts.enums import Role
from tests.factories import UserFactory


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
