"""Response templates in the back office's transition form: which are offered, and the note they give."""

from django import forms
from django.utils import timezone

from ..enums import Status
from . import placeholders
from .models import ModeleReponse, UsageModele

# Which templates each capacity gets (workflow.Actor values, compared as strings to avoid a cycle).
USAGES_BY_ACTOR = {"gestionnaire": UsageModele.TRI, "service": UsageModele.SERVICE}


def offered(report, actors):
    """Active templates for this report's category and commune, for the capacities of the person."""
    usages = [USAGES_BY_ACTOR[str(actor)] for actor in actors if str(actor) in USAGES_BY_ACTOR]
    if not usages:
        return ModeleReponse.objects.none()
    return ModeleReponse.objects.applicable(report, usages).order_by("titre", "pk")


class ModeleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, modele):
        if modele.statut:
            return f"{modele.titre} (état « {modele.get_statut_label()} »)"
        return modele.titre


def modele_field():
    return ModeleChoiceField(
        label="Modèle de réponse",
        queryset=ModeleReponse.objects.none(),
        required=False,
        empty_label="Aucun (note libre)",
        help_text="Le modèle remplit la note, que vous pouvez ensuite modifier.",
    )


def date_field():
    return forms.DateField(
        label="Date d'intervention prévue (si planifié)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Affichée sur la page de suivi de l'auteur du signalement.",
    )


def texts_for_page(modeles, report):
    """{pk: {"texte", "statut"}} for the page's script: the note each template gives, resolved now.

    ``{date_prevue}`` stays when no date is known yet; it is resolved when the form is sent.
    """
    return {
        str(modele.pk): {
            "texte": placeholders.render(modele.texte, report, keep_missing_date=True),
            "statut": modele.statut,
        }
        for modele in modeles
    }


def complete(form, report):
    """Check the template and the date against the target status; give the note its final text."""
    data = form.cleaned_data
    to_status = data.get("to_status")
    modele = data.get("modele")
    date = data.get("date_intervention_prevue")
    if modele is not None and to_status and not modele.applies_to(to_status):
        form.add_error(
            "modele",
            f"Ce modèle est prévu pour l'état « {modele.get_statut_label()} » : choisissez-en un autre.",
        )
    if to_status == Status.PLANIFIE:
        if date is None:
            form.add_error("date_intervention_prevue", "Indiquez la date d'intervention prévue.")
        elif date < timezone.localdate():
            form.add_error(
                "date_intervention_prevue", "La date d'intervention prévue ne peut pas être passée."
            )
    elif date is not None:
        data["date_intervention_prevue"] = None  # only a planned intervention has a date
    note = data.get("note", "")
    if modele is not None and not note.strip():
        note = modele.texte
    if report is not None:
        note = placeholders.render(note, report, data.get("date_intervention_prevue"))
    data["note"] = note
    return data
