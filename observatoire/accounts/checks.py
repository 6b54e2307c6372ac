"""System check: demo accounts left in a database served with DEBUG off.

They cannot log in there (accounts.backends), but their presence means the demo was loaded into
a production database: say so where operators look (``migrate``, ``check --database default``).
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from .demo import DEMO_DOMAIN, demo_accounts


@register(Tags.security, Tags.database)
def demo_accounts_in_production(app_configs, databases=None, **kwargs):
    if settings.DEBUG or not databases:
        return []
    try:
        count = demo_accounts().count()
    except DatabaseError:  # not migrated yet: nothing to warn about
        return []
    if not count:
        return []
    return [
        Warning(
            f"{count} compte(s) de démonstration (@{DEMO_DOMAIN}) existent alors que DEBUG est désactivé.",
            hint="Ils sont refusés à la connexion ; supprimez-les depuis l'administration des utilisateurs.",
            id="accounts.W001",
        )
    ]
