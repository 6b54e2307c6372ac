"""GET filters of the indicator pages. A wrong value never breaks a page: its field says why in
French and the default is used."""

from django import forms

from .classes import METHODS

CLASSEMENTS = [
    ("tous", "Toutes les communes"),
    ("haut", "Les 15 valeurs les plus élevées"),
    ("bas", "Les 15 valeurs les plus faibles"),
]
TOP = 15
MIN_COMMUNES, MAX_COMMUNES = 2, 5


class DashboardForm(forms.Form):
    indicateur = forms.ChoiceField(label="Indicateur")
    millesime = forms.TypedChoiceField(label="Millésime", coerce=int)
    territoire = forms.ChoiceField(label="Territoire", required=False)
    classement = forms.ChoiceField(label="Communes du classement", choices=CLASSEMENTS)
    methode = forms.ChoiceField(
        label="Méthode de classement", choices=[(k, v[0]) for k, v in METHODS.items()]
    )
    classes = forms.TypedChoiceField(
        label="Nombre de classes", coerce=int, choices=[(n, n) for n in range(3, 8)]
    )

    def __init__(self, query, *, indicateurs, years, communes, defaults):
        data = {name: query.get(name) or default for name, default in defaults.items()}
        super().__init__(data)
        groups = {}
        for indicateur in indicateurs:
            rubrique = indicateur.rubrique.nom if indicateur.rubrique else "Autres indicateurs"
            groups.setdefault(rubrique, []).append((indicateur.code, indicateur.libelle))
        self.fields["indicateur"].choices = list(groups.items())
        self.fields["millesime"].choices = [(year, year) for year in years]
        self.fields["territoire"].choices = [("", "Métropole")] + [(insee, nom) for _, insee, nom in communes]
        self.defaults = defaults

    def values(self):
        """Cleaned values, each invalid one replaced by its default (its error stays shown)."""
        self.is_valid()
        if self.errors:
            self.data = {**self.data, **{name: self.defaults[name] for name in self.errors}}
        return {name: self.cleaned_data.get(name, default) for name, default in self.defaults.items()}


class ComparaisonForm(forms.Form):
    communes = forms.TypedMultipleChoiceField(
        label="Communes à comparer",
        error_messages={
            "invalid_choice": "La commune « %(value)s » n'est pas une commune de la métropole.",
            "required": f"Choisissez de {MIN_COMMUNES} à {MAX_COMMUNES} communes à comparer.",
        },
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].choices = [(insee, nom) for _, insee, nom in communes]

    def clean_communes(self):
        chosen = list(dict.fromkeys(code for code in self.cleaned_data["communes"] if code))
        if not MIN_COMMUNES <= len(chosen) <= MAX_COMMUNES:
            raise forms.ValidationError(
                f"Choisissez de {MIN_COMMUNES} à {MAX_COMMUNES} communes différentes à comparer "
                f"({len(chosen)} choisie{'s' if len(chosen) > 1 else ''})."
            )
        return chosen
