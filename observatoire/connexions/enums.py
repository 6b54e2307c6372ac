from django.db import models


class EventType(models.TextChoices):
    """What the RSSI's journal records (issue 14)."""

    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKOUT = "lockout", "Compte verrouillé (trop d'échecs)"
    LOGOUT = "logout", "Déconnexion"
    MFA_ENROLLED = "mfa_enrolled", "Second facteur enregistré"
    MFA_SUCCESS = "mfa_success", "Second facteur vérifié"
    MFA_FAILURE = "mfa_failure", "Échec du second facteur"
    MFA_RECOVERY_USED = "mfa_recovery_used", "Code de secours utilisé"
    MFA_RECOVERY_REGENERATED = "mfa_recovery_regenerated", "Codes de secours régénérés"
    MFA_REMOVED = "mfa_removed", "Second facteur supprimé"
    PASSWORD_CHANGED = "password_changed", "Mot de passe modifié"
    PASSWORD_RESET = "password_reset", "Mot de passe réinitialisé"
    ROLE_ADDED = "role_added", "Rôle attribué"
    ROLE_REMOVED = "role_removed", "Rôle retiré"
    SCOPE_CHANGED = "scope_changed", "Périmètre communal modifié"
    ACCOUNT_DISABLED = "account_disabled", "Compte désactivé"
    ACCOUNT_ENABLED = "account_enabled", "Compte réactivé"
    ACCOUNT_WARNING = "account_warning", "Avertissement avant désactivation"
    TOKENS_REVOKED = "tokens_revoked", "Jetons d'API révoqués"
    SESSION_ENDED = "session_ended", "Session fermée"
    OIDC_LINKED = "oidc_linked", "Identité fédérée liée à un compte"
    OIDC_CREATED = "oidc_created", "Compte créé par une identité fédérée"
