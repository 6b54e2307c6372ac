"""Open311 error documents stay well-formed XML whatever they echo (control characters, lone
surrogates, U+FFFE…): a client must be able to read why it was refused."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from signalements.open311 import formats

NOT_IN_XML = ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"]


def parse(content):
    return ET.fromstring(content)  # noqa: S314 - our own server's output


@pytest.mark.parametrize(
    "character", [chr(c) for c in range(0x20)] + ["\ud800", "\udc00", "\ufffe", "\uffff"]
)
def test_error_document_parses_whatever_the_description_holds(character):
    response = formats.error("xml", 400, f"service_code « a{character}b » inconnu.")
    description = parse(response.content).findtext("error/description")
    expected = character if character in "\t\n\r" else "\ufffd"
    assert description.replace("\r\n", "\n") == f"service_code « a{expected}b » inconnu.".replace("\r", "\n")


def test_valid_text_is_kept_as_is():
    text = "Voirie — « nid-de-poule » 𝄞 é\tà"
    assert formats.xml_text(text) == text


@pytest.mark.parametrize("character", [c for c in NOT_IN_XML if not "\ud800" <= c <= "\udfff"])
def test_echoed_parameters_give_well_formed_errors(client, categories, character):
    encoded = quote(f"x{character}y")
    urls = [
        f"/open311/v2/services/{encoded}.xml",
        f"/open311/v2/requests/{encoded}.xml",
        f"/open311/v2/services.xml?jurisdiction_id={encoded}",
        f"/open311/v2/requests.xml?jurisdiction_id={encoded}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        root = parse(response.content)
        assert root.findtext("error/code") == "404"
        assert "x\ufffdy" in root.findtext("error/description"), url
