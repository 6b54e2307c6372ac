"""A file given to the wrong import is named, with the import that takes it."""

import pytest

from foncier.dvf.columns import HEADER as DVF_HEADER
from observatoire.imports.recognise import identify, wrong_format

DGFIP_RAW = [
    "Identifiant de document",
    "Reference document",
    "1 Articles CGI",
    "2 Articles CGI",
    "3 Articles CGI",
    "4 Articles CGI",
    "5 Articles CGI",
    "No disposition",
    "Date mutation",
    "Nature mutation",
    "Valeur fonciere",
    "No voie",
    "B/T/Q",
    "Type de voie",
    "Code voie",
    "Voie",
    "Code postal",
    "Commune",
    "Code departement",
    "Code commune",
    "Prefixe de section",
    "Section",
    "No plan",
    "No Volume",
    "1er lot",
    "Surface Carrez du 1er lot",
    "2eme lot",
    "Surface Carrez du 2eme lot",
    "3eme lot",
    "Surface Carrez du 3eme lot",
    "4eme lot",
    "Surface Carrez du 4eme lot",
    "5eme lot",
    "Surface Carrez du 5eme lot",
    "Nombre de lots",
    "Code type local",
    "Type local",
    "Identifiant local",
    "Surface reelle bati",
    "Nombre pieces principales",
    "Nature culture",
    "Nature culture speciale",
    "Surface terrain",
]  # the header of ValeursFoncieres-2023.txt, « | »-separated


@pytest.mark.parametrize(
    ("header", "command"),
    [
        (DVF_HEADER, "import_dvf"),
        (["CODGEO", "LIBGEO", "P20_LOG", "P20_RP"], "import_insee_logement"),
        (["\ufeffCODGEO", "LIBGEO", "DCLT", "NBFLUX_C21_ACTOCC15P"], "import_mobilites_professionnelles"),
        (["idcom", "idcomtxt", "naf09art10", "art09hab10"], "import_consommation_espace"),
        (["stop_id", "stop_name", "stop_lat", "stop_lon"], "import_gtfs"),
        (["DEP", "DIR", "COM", "SIREPCI", "LIBCOM", "E11", "E12VOTE"], "import_rei"),
        (["DEPARTEMENT", "COMMUNE", "Libellé commune", "FB - COMMUNE / TAUX VOTE"], "import_rei"),
        (["\ufeffannee", "libcom", "varlib", "valeur", "idcom", "var"], "import_rei"),
    ],
)
def test_official_headers_are_recognised(header, command):
    assert identify(header).command == command


def test_the_dgfip_raw_file_is_named_and_pointed_to_the_geolocated_one():
    refusal = wrong_format(DGFIP_RAW, "import_dvf")
    assert "DVF brut de la DGFiP" in str(refusal) and "DVF géolocalisées" in str(refusal)
    assert "Surface terrain" not in str(refusal)  # no list of 40 missing columns


def test_a_dvf_file_given_to_the_plu_import_is_named():
    message = str(wrong_format(DVF_HEADER, "import_zones_plu"))
    assert "DVF géolocalisées (Etalab)" in message and "python manage.py import_dvf" in message


def test_the_expected_or_an_unknown_format_is_left_to_the_importer():
    assert wrong_format(DVF_HEADER, "import_dvf") is None
    assert wrong_format(["a", "b"], "import_dvf") is None
