from django import forms

NOTES = [
    (str(n), label)
    for n, label in ((1, "1 (très insatisfait)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (très satisfait)"))
]


class AvisForm(forms.Form):
    """The reporter's opinion: a yes/no question, a 1–5 rating as radio buttons, a comment."""

    probleme_regle = forms.TypedChoiceField(
        label="Le problème est-il réglé ?",
        choices=[("oui", "Oui"), ("non", "Non, pas réglé")],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si le problème est réglé."},
    )
    note = forms.TypedChoiceField(
        label="Votre satisfaction sur le traitement du signalement (facultatif)",
        choices=NOTES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une note de 1 à 5."},
    )
    commentaire = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ne donnez pas d'informations personnelles. 1 000 caractères au plus.",
    )
