from django import forms

from .models.documents import DocumentGouvernance, StatutDocument


class DocumentAdminForm(forms.ModelForm):
    """The document's fields, plus the status change the editor may ask for (along the table only)."""

    nouveau_statut = forms.ChoiceField(label="Changer le statut", required=False)
    motif = forms.CharField(
        label="Motif du changement", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = DocumentGouvernance
        fields = [
            "titre",
            "slug",
            "type",
            "visibilite",
            "organisation",
            "resume",
            "date_deliberation",
            "reference_deliberation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        targets = self.instance.allowed_targets()
        self.fields["nouveau_statut"].choices = [("", "(inchangé)")] + [(t.value, t.label) for t in targets]

    def clean(self):
        data = super().clean()
        target = data.get("nouveau_statut")
        frozen = self.instance.status != StatutDocument.EN_CONCEPTION
        if target == StatutDocument.DELIBERE or frozen:
            if not data.get("date_deliberation"):
                self.add_error("date_deliberation", "Indiquez la date de la délibération.")
            if not (data.get("reference_deliberation") or "").strip():
                self.add_error("reference_deliberation", "Indiquez la référence de la délibération.")
        return data
