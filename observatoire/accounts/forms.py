from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from .models import User


class SignupForm(BaseUserCreationForm):
    """Self sign-up of a citizen; the account waits for e-mail confirmation."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        # An address that already has an account is not an error shown here: the form would tell
        # anyone who has an account. services.citizen_signup writes to that address instead.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"email"})
        except forms.ValidationError as error:
            self._update_errors(error)

    def existing_account(self):
        return User.objects.filter(email__iexact=self.cleaned_data["email"]).first()


class LoginForm(AuthenticationForm):
    """E-mail login, case-insensitive, with a plain French error."""

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte n'est pas actif. Avez-vous confirmé votre adresse électronique ?",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
