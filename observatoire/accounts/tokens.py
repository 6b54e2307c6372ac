from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """One-use token: it stops matching once the account is active."""

    key_salt = "observatoire.accounts.activation"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{timestamp}{user.is_active}{user.email}"


activation_token = ActivationTokenGenerator()
