"""The portrait as a PDF: the page's figures, formatted as on the page, read back with pdftotext."""

import shutil
import subprocess

import pytest

from observatoire.accounts.enums import Role
from observatoire.indicateurs import print_graphics
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.territoires.models import Commune
from tests.factories import UserFactory

URL = "/territoires/13001/portrait.pdf"

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(not PDFTOTEXT, reason="poppler-utils (pdftotext) missing")


def pdf_text(content):
    assert content.startswith(b"%PDF-")
    result = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_the_pdf_holds_the_pages_figures_with_the_metropolis_sources_and_millesimes(client, indicateurs):
    response = client.get(URL)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="portrait-13001.pdf"'
    text = pdf_text(response.content)
    assert "Aix-en-Provence" in text and "13001" in text
    # The key figures row, as the page shows it: millésime, commune, metropolis, rank.
    assert "Taux de logements vacants (%) 2023 7,5 8,4 2e sur 3" in text
    # The evolution table beside the chart, both territories.
    assert "2022 6 8" in text and "2023 7,5 8,4" in text
    assert "Source : Insee, recensement · millésime 2023." in text
    assert "Part des logements vacants dans le parc." in text
    assert "Loyer médian" not in text  # reserved to agents and élus, as on the page
    # Every page's footer names the commune first ("Portrait de Aix-…" would need an elision).
    assert "Aix-en-Provence · portrait de territoire · Observatoire métropolitain Page 1 sur" in text


def test_an_elu_gets_the_reserved_indicators_in_a_pdf_of_their_own(client, indicateurs):
    public = pdf_text(client.get(URL).content)
    client.force_login(UserFactory(role=Role.ELU))
    text = pdf_text(client.get(URL).content)
    assert "Loyer médian" not in public
    assert (
        "Loyer médian (€/m²) 2023 14,2 13,1 1er sur 2" in text
        or "Loyer médian (€/m²) 2023 14,2 13,1 1e sur 2" in text
    )


def test_new_values_make_a_new_pdf(client, indicateurs, django_capture_on_commit_callbacks):
    assert "7,5 8,4" in pdf_text(client.get(URL).content)
    indicateur = Indicateur.objects.get(code="taux-vacance")
    aix = Commune.objects.get(insee="13001")
    with django_capture_on_commit_callbacks(execute=True):  # the cache version moves after commit
        Valeur.objects.upsert([Valeur(indicateur=indicateur, commune=aix, millesime=2023, valeur=7.25)])
    assert "7,25 8,4" in pdf_text(client.get(URL).content)


def test_the_map_draws_the_commune_on_top_of_the_metropolis(indicateurs):
    carte = print_graphics.map_svg(Commune.objects.get(insee="13001"))
    owns = [own for own, _ in carte["paths"]]
    assert owns[-1] is True and owns.count(True) == 1 and len(owns) == 92
    assert carte["paths"][0][1].startswith("M ")
    xmin, ymin, width, height = (float(n) for n in carte["view_box"].split())
    assert 800_000 < xmin < 900_000 and ymin < 0 < width and height > 0  # Lambert-93, y downwards


def test_the_chart_needs_two_years_and_puts_a_much_larger_series_on_the_right():
    assert print_graphics.line_chart([("Aix", [(2023, 5)]), ("Métropole", [(2023, 50)])], "u") is None
    close = print_graphics.line_chart(
        [("Aix", [(2022, 6), (2023, 7.5)]), ("Métropole", [(2022, 8), (2023, 8.4)])], "%"
    )
    assert [line["name"] for line in close["lines"]] == ["Aix", "Métropole"] and close["y_ticks_right"] == []
    far = print_graphics.line_chart(
        [("Aix", [(2022, 6), (2023, 7)]), ("Métropole", [(2022, 800), (2023, 840)])], "u"
    )
    assert far["lines"][1]["name"] == "Métropole (axe de droite)"
    assert far["y_ticks_right"][-1][2] == "840" and far["y_ticks"][-1][2] == "7"
    # Both series reach the top of the plot on their own axis.
    assert far["lines"][0]["dots"][-1][1] == far["lines"][1]["dots"][-1][1] == far["top"]
