"""The placeholders of response templates: which exist, which a text uses, and their values."""

import re

from django.utils import formats

# Name → what the back office's help says it becomes.
PLACEHOLDERS = {
    "reference": "la référence du signalement (S-2026-000123)",
    "commune": "le nom de la commune",
    "categorie": "la catégorie (et la sous-catégorie si elle est connue)",
    "date_prevue": "la date d'intervention prévue",
    "service": "le service compétent",
}
PATTERN = re.compile(r"\{([^{}\s]*)\}")
NO_DATE = "une date qui vous sera précisée"
NO_SERVICE = "le service compétent"


def used(texte):
    return PATTERN.findall(texte)


def unknown(texte):
    """Placeholders of ``texte`` that do not exist, in the order written, once each."""
    return list(dict.fromkeys(name for name in used(texte) if name not in PLACEHOLDERS))


def help_text():
    return "Variables possibles : " + ", ".join(
        f"{{{name}}} ({label})" for name, label in PLACEHOLDERS.items()
    )


def values(report, date_prevue=None):
    date = date_prevue or report.date_intervention_prevue
    categorie = report.categorie.nom
    if report.sous_categorie_id:
        categorie = f"{categorie} › {report.sous_categorie.nom}"
    return {
        "reference": report.reference,
        "commune": report.commune.nom,
        "categorie": categorie,
        "date_prevue": formats.date_format(date, "j F Y") if date else None,
        "service": report.service.nom if report.service_id else NO_SERVICE,
    }


def render(texte, report, date_prevue=None, *, keep_missing_date=False):
    """``texte`` with its known placeholders replaced; unknown ones are left as written.

    ``keep_missing_date`` leaves ``{date_prevue}`` in place when no date is known yet: the
    note is filled before the agent picks the date, and resolved again when the form is sent.
    """
    known = values(report, date_prevue)
    if known["date_prevue"] is None:
        known["date_prevue"] = "{date_prevue}" if keep_missing_date else NO_DATE

    def replace(match):
        return known.get(match.group(1), match.group(0))

    return PATTERN.sub(replace, texte)
