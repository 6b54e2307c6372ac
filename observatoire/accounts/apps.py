from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "observatoire.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
