from django import forms

from ..enums import Ouverture, RejectionReason, Status
from ..models import Categorie, CategorieCommune, Service, Signalement
from ..photos import clean_photo
from ..reponses import transition as reponses


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="Nouvel état")
    date_intervention_prevue = reponses.date_field()
    modele = reponses.modele_field()
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label="Note visible par l'auteur du signalement", required=False, initial=True
    )
    reason = forms.ChoiceField(
        label="Motif (si non retenu)", choices=[("", "—"), *RejectionReason.choices], required=False
    )
    parent = forms.IntegerField(label="N° du signalement original (si doublon)", required=False, min_value=1)
    service = forms.ModelChoiceField(
        label="Service compétent (si transmis)",
        queryset=Service.objects.filter(is_active=True),
        required=False,
        empty_label="Proposé par la table d'acheminement",
    )

    def __init__(self, *args, targets, report=None, modeles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["to_status"].choices = [(t.value, Status(t).label) for t in targets]
        if modeles:
            self.fields["modele"].queryset = modeles
        else:
            del self.fields["modele"]
        if Status.PLANIFIE not in targets:
            del self.fields["date_intervention_prevue"]

    def clean(self):
        return reponses.complete(self, self.report)

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = Signalement.objects.filter(pk=pk).first()
        if parent is None:
            raise forms.ValidationError("Aucun signalement ne porte ce numéro.")
        return parent


class RequalifyForm(forms.Form):
    categorie = forms.ModelChoiceField(
        label="Catégorie", queryset=Categorie.objects.filter(parent__isnull=True, is_active=True)
    )
    sous_categorie = forms.ModelChoiceField(
        label="Sous-catégorie",
        queryset=Categorie.objects.filter(parent__isnull=False, is_active=True).select_related("parent"),
        required=False,
    )
    lat = forms.FloatField(label="Latitude", required=False)
    lon = forms.FloatField(label="Longitude", required=False)
    description_validee = forms.BooleanField(label="Description publiable (relue)", required=False)

    def __init__(self, *args, categorie=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categorie is not None:
            # Offer the sub-categories of the report's category; another category is a requalification first.
            self.fields["sous_categorie"].queryset = categorie.sous_categories.filter(is_active=True)
            self.fields["sous_categorie"].label_from_instance = lambda sous_categorie: sous_categorie.nom


class AfterPhotoForm(forms.Form):
    photo = forms.FileField(label="Photo après intervention")

    def clean_photo(self):
        return clean_photo(self.cleaned_data["photo"])


class CategorieCommuneForm(forms.ModelForm):
    class Meta:
        model = CategorieCommune
        fields = ["ouverture", "explication", "canal_alternatif", "delai_cible_jours", "service"]
        widgets = {
            "explication": forms.Textarea(attrs={"rows": 2}),
            "ouverture": forms.RadioSelect,
        }

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ouverture") == Ouverture.FERMEE and not cleaned.get("explication"):
            self.add_error("explication", "Expliquez aux habitants pourquoi cette catégorie est fermée.")
        if cleaned.get("ouverture") != Ouverture.FERMEE and not cleaned.get("service"):
            self.add_error("service", "Une catégorie ouverte doit avoir un service compétent.")
        return cleaned
