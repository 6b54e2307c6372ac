from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from .models import User


class SignupForm(BaseUserCreationForm):
    """Self sign-up of a citizen; the account waits for e-mail confirmation."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse électronique.")
        return email


class LoginForm(AuthenticationForm):
    """E-mail login, case-insensitive, with a plain French error."""

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte n'est pas actif. Avez-vous confirmé votre adresse électronique ?",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
