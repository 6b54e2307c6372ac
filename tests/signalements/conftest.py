import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from observatoire.accounts.enums import Role
from signalements import services
from signalements.demo import load_categories
from signalements.enums import Ouverture, ServiceType
from signalements.models import Categorie, CategorieCommune, Service
from tests.factories import UserFactory

VIEUX_PORT = {"lon": 5.3741, "lat": 43.2951}
AIX_CENTRE = {"lon": 5.4454, "lat": 43.5263}
EN_MER = {"lon": 5.05, "lat": 43.15}


@pytest.fixture
def categories(territoire):
    load_categories()
    return {c.code: c for c in Categorie.objects.filter(parent__isnull=True)}


@pytest.fixture
def open_category():
    def _open(commune, categorie, ouverture=Ouverture.TOUS, service=None, **extra):
        row, _ = CategorieCommune.objects.update_or_create(
            commune=commune,
            categorie=categorie,
            defaults={"ouverture": ouverture, "service": service, **extra},
        )
        return row

    return _open


@pytest.fixture
def service_marseille(marseille):
    return Service.objects.create(
        nom="Propreté Marseille", type=ServiceType.METROPOLITAIN, commune=None, email="proprete@exemple.fr"
    )


@pytest.fixture
def marseille_setup(marseille, categories, open_category, service_marseille):
    """Marseille: propreté open to all, signalisation to agents, eau closed with an explanation."""
    open_category(marseille, categories["proprete"], Ouverture.TOUS, service_marseille)
    open_category(marseille, categories["signalisation"], Ouverture.AGENTS)
    open_category(
        marseille,
        categories["eau"],
        Ouverture.FERMEE,
        explication="Le distributeur d'eau traite ces demandes.",
        canal_alternatif="Appelez le numéro de votre facture d'eau.",
    )
    return marseille


@pytest.fixture
def gestionnaire(territoire):
    return UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS)


@pytest.fixture
def report(marseille_setup, categories):
    """A citizen's report in Marseille (propreté, routed to its service), with an e-mail to notify."""
    return services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Dépôt sauvage rue de la République.",
        email="habitant@exemple.fr",
        **VIEUX_PORT,
    )


@pytest.fixture
def service_agent(service_marseille):
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    service_marseille.members.add(agent)
    return agent


@pytest.fixture
def agent_marseille(marseille):
    return UserFactory(role=Role.AGENT_COMMUNAL, communes=[marseille])


def image_file(name="photo.jpg", fmt="JPEG", size=(640, 480), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (180, 60, 40))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def open311_filing(api_key, **data):
    """The fields of an Open311 POST filing a « propreté » report at the Vieux-Port."""
    return {
        "api_key": api_key.key,
        "service_code": "proprete",
        "lat": str(VIEUX_PORT["lat"]),
        "long": str(VIEUX_PORT["lon"]),
        "description": "Sacs éventrés.",
        **data,
    }
