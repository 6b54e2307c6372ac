from django import forms

from ..enums import Status
from ..models import Categorie
from . import placeholders
from .models import ModeleReponse
from .perms import can_manage_metropole, manageable_communes

# Statuses a note accompanies in the back office (the first one, « nouveau », is never a target).
TARGET_STATUSES = [status for status in Status if status != Status.NOUVEAU]


class ModeleReponseForm(forms.ModelForm):
    statut = forms.ChoiceField(
        label="Proposé pour l'état",
        required=False,
        choices=[("", "Tous les états"), *((s.value, s.label) for s in TARGET_STATUSES)],
    )

    class Meta:
        model = ModeleReponse
        fields = ["titre", "texte", "categorie", "commune", "usage", "statut", "is_active"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 6})}
        labels = {
            "titre": "Titre",
            "texte": "Texte de la note",
            "categorie": "Catégorie",
            "usage": "Proposé à",
            "is_active": "Actif",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["texte"].help_text = placeholders.help_text()
        self.fields["categorie"].queryset = Categorie.objects.filter(parent__isnull=True, is_active=True)
        self.fields["categorie"].empty_label = "Toutes les catégories"
        communes = self.fields["commune"]
        communes.queryset = manageable_communes(user).order_by("nom").only("pk", "nom", "insee")
        if can_manage_metropole(user):
            communes.empty_label = "Toute la métropole"
            communes.help_text = "Vide : modèle de la métropole, proposé dans toutes les communes."
        else:
            communes.required = True
            communes.empty_label = None
            communes.help_text = ""

    def clean_texte(self):
        texte = self.cleaned_data["texte"]
        unknown = placeholders.unknown(texte)
        if unknown:
            names = ", ".join(f"{{{name}}}" for name in unknown)
            what = "Variable inconnue" if len(unknown) == 1 else "Variables inconnues"
            raise forms.ValidationError(
                f"{what} : {names}. Les variables possibles sont indiquées sous le titre du champ."
            )
        return texte
