"""The GDPR register as CSV and PDF, and the small PDFs the demo attaches to its documents.

CSV follows the French spreadsheet habit (semicolons, UTF-8 with a BOM), formulas neutralised
(core.spreadsheets). PDFs use the PDF core fonts, which know Latin-1 only: typographic
characters outside it are replaced by their plain equivalent rather than dropped. Page streams
are left uncompressed: the files are small, and a text search (or a test) finds the treatment
names in them.
"""

import io

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from observatoire.core.spreadsheets import csv_writer

REGISTER_COLUMNS = [
    ("code", "Identifiant"),
    ("nom", "Traitement"),
    ("responsable", "Responsable"),
    ("service", "Service"),
    ("finalite", "Finalité"),
    ("base_legale", "Base légale"),
    ("base_legale_precision", "Précision sur la base légale"),
    ("categories_donnees", "Catégories de données"),
    ("donnees_sensibles", "Données sensibles"),
    ("personnes_concernees", "Personnes concernées"),
    ("destinataires", "Destinataires"),
    ("organisations", "Organisations destinataires"),
    ("transferts_hors_ue", "Transferts hors UE"),
    ("duree_conservation", "Durée de conservation"),
    ("mesures_securite", "Mesures de sécurité"),
    ("jeux", "Jeux de données"),
    ("updated_at", "Mis à jour le"),
]

_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u202f": " ",
        "\u2192": "->",
        "\u20ac": "EUR",
    }
)

# Each block starts again at the left margin, below the previous one.
_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _row(traitement):
    return {
        "code": traitement.code,
        "nom": traitement.nom,
        "responsable": traitement.responsable,
        "service": traitement.service,
        "finalite": traitement.finalite,
        "base_legale": traitement.get_base_legale_display(),
        "base_legale_precision": traitement.base_legale_precision,
        "categories_donnees": traitement.categories_donnees,
        "donnees_sensibles": "oui" if traitement.donnees_sensibles else "non",
        "personnes_concernees": traitement.personnes_concernees,
        "destinataires": traitement.destinataires,
        "organisations": ", ".join(o.nom for o in traitement.destinataires_organisations.all()),
        "transferts_hors_ue": traitement.transferts_hors_ue,
        "duree_conservation": traitement.duree_conservation,
        "mesures_securite": traitement.mesures_securite,
        "jeux": ", ".join(j.titre for j in traitement.jeux.all()),
        "updated_at": timezone.localtime(traitement.updated_at).strftime("%d/%m/%Y"),
    }


def register_csv(traitements):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _, label in REGISTER_COLUMNS])
    for traitement in traitements:
        row = _row(traitement)
        writer.writerow([row[key] for key, _ in REGISTER_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _plain(text):
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, title):
        super().__init__(format="A4")
        self.compress = False
        self.title_text = _plain(title)
        self.set_title(self.title_text)
        self.set_creator("Observatoire métropolitain")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"{self.title_text} - page {self.page_no()}/{{nb}}", align="C")

    def heading(self, text, size=16):
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(0, size * 0.5, _plain(text), **_NEXT_LINE)
        self.ln(2)

    def paragraph(self, text, size=10):
        self.set_font("Helvetica", size=size)
        self.multi_cell(0, 5, _plain(text), **_NEXT_LINE)
        self.ln(2)

    def field(self, label, value):
        self.set_font("Helvetica", style="B", size=10)
        self.multi_cell(0, 5, _plain(label), **_NEXT_LINE)
        self.paragraph(value or "-")


def register_pdf(traitements, *, title="Registre des activités de traitement"):
    pdf = _Pdf(title)
    pdf.add_page()
    pdf.heading(title)
    pdf.paragraph(f"Article 30 du RGPD. Édité le {timezone.localdate():%d/%m/%Y}.")
    for index, traitement in enumerate(traitements):
        if index:
            pdf.add_page()
        row = _row(traitement)
        pdf.heading(row["nom"], size=13)
        for key, label in REGISTER_COLUMNS[2:]:
            pdf.field(label, row[key])
    return bytes(pdf.output())


def document_pdf(title, paragraphs):
    """A simple text document: a title, then paragraphs (the demo's governance documents)."""
    pdf = _Pdf(title)
    pdf.add_page()
    pdf.heading(title)
    for text in paragraphs:
        pdf.paragraph(text, size=11)
    return bytes(pdf.output())
