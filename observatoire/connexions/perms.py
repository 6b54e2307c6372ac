from observatoire.accounts.enums import Role


def reads_journal(user):
    """The RSSI's journal: the RSSI and the super-administrators, nobody else (not even the AGD)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool({Role.RSSI, Role.SUPERADMIN} & set(user.roles))
