from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import DemandeAcces

DUREES = [(1, "1 mois"), (3, "3 mois"), (6, "6 mois"), (12, "12 mois"), (24, "24 mois")]


class DemandeAccesForm(forms.ModelForm):
    duree_mois = forms.TypedChoiceField(label="Durée demandée", choices=DUREES, coerce=int, initial=6)

    class Meta:
        model = DemandeAcces
        fields = ["finalite", "duree_mois"]
        widgets = {"finalite": forms.Textarea(attrs={"rows": 4})}

    def clean_finalite(self):
        finalite = self.cleaned_data["finalite"].strip()
        if len(finalite) < 20:
            raise forms.ValidationError("Décrivez la finalité en quelques phrases (20 caractères au moins).")
        return finalite


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision", choices=[("accorder", "Accorder"), ("refuser", "Refuser")], widget=forms.RadioSelect
    )
    fin = forms.DateField(
        label="Fin de l'accès", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Obligatoire pour accorder ; au plus la durée demandée.",
    )  # fmt: skip
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, demande, **kwargs):
        super().__init__(*args, **kwargs)
        self.demande = demande
        self.fields["fin"].initial = (
            timezone.localdate() + timedelta(days=30 * demande.duree_mois)
        ).isoformat()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "accorder":
            fin = cleaned.get("fin")
            latest = timezone.localdate() + timedelta(days=31 * self.demande.duree_mois)
            if not fin:
                self.add_error("fin", "Indiquez la date de fin de l'accès.")
            elif fin <= timezone.localdate():
                self.add_error("fin", "La date de fin doit être future.")
            elif fin > latest:
                self.add_error("fin", "La date de fin dépasse la durée demandée.")
        if cleaned.get("decision") == "refuser" and not cleaned.get("motif", "").strip():
            self.add_error("motif", "Un refus doit être motivé.")
        return cleaned
