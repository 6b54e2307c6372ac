"""The authorization code flow with a provider, and why a login is refused, in French.

Authlib does the protocol: ``state`` and PKCE kept in the session, ``nonce`` sent and compared,
the ID token's signature checked against the provider's JWKS and its claims (iss, aud, exp, iat,
nonce, at_hash) with a clock-skew leeway. We add what it leaves to the application: the issuer of
the authorization response (RFC 9207), an ID token that must be there, and userinfo, which
ProConnect and FranceConnect v2 return as a signed JWT (``application/jwt``) and others as JSON.
"""

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from joserfc import errors as jose_errors
from joserfc import jwt
from joserfc.jwk import KeySet

from . import providers

MESSAGES = {
    "access_denied": "Vous avez annulé la connexion avec {label} : vous n'êtes pas connecté.",
    "provider_error": "{label} n'a pas accepté la demande de connexion. Réessayez ou connectez-vous "
    "avec votre adresse électronique.",
    "state": "Cette réponse de {label} ne correspond à aucune connexion commencée sur ce navigateur : "
    "recommencez depuis cette page.",
    "signature": "La signature de la réponse de {label} est invalide : la connexion est refusée.",
    "nonce": "La réponse de {label} ne correspond pas à la demande de connexion envoyée (nonce "
    "différent) : la connexion est refusée.",
    "expired": "La réponse de {label} a expiré : la connexion est refusée. Si cela se répète, "
    "l'horloge de ce serveur ou du fournisseur est décalée.",
    "future": "La réponse de {label} est datée dans le futur (horloges décalées) : la connexion est refusée.",
    "issuer": "La réponse ne vient pas du fournisseur d'identité attendu pour {label} (émetteur inconnu) : "
    "la connexion est refusée.",
    "unreachable": "{label} ne répond pas pour le moment. Réessayez dans quelques minutes ou connectez-vous "
    "avec votre adresse électronique.",
    "invalid": "La réponse de {label} est incomplète ou invalide : la connexion est refusée.",
    "no_email": "{label} n'a pas transmis d'adresse électronique vérifiée : le compte ne peut pas être "
    "ouvert.",
    "inactive": "Ce compte est désactivé : adressez-vous à l'administrateur du portail.",
    "demo": "Les comptes de démonstration sont refusés sur ce portail.",
    "not_citizen": "Cette adresse est celle d'un compte agent, élu ou partenaire : connectez-vous avec "
    "ProConnect ou avec votre mot de passe.",
}


class LoginRefused(Exception):
    def __init__(self, reason, provider, email="", detail=""):
        self.reason = reason
        self.email = email
        self.detail = detail
        self.message = MESSAGES[reason].format(label=provider.label)
        super().__init__(f"{reason}: {detail}" if detail else reason)


def authorize_redirect(request, provider, redirect_uri):
    try:
        app = providers.client(provider)
    except providers.UnknownIssuer as exc:
        raise LoginRefused("issuer", provider, detail=f"discovery issuer {exc}") from exc
    except (requests.RequestException, ValueError) as exc:
        raise LoginRefused("unreachable", provider, detail=str(exc)) from exc
    return app.authorize_redirect(request, redirect_uri, **provider.authorize_params())


def finish(request, provider):
    """Check the callback and return ``(claims, id_token)``: the ID token's claims merged over
    userinfo's (acr and amr come from the ID token alone). Raises ``LoginRefused``."""
    error = request.GET.get("error")
    if error:
        reason = "access_denied" if error == "access_denied" else "provider_error"
        raise LoginRefused(reason, provider, detail=f"{error} {request.GET.get('error_description', '')}")
    # A response that names its issuer must name ours: the mix-up defence of RFC 9207.
    issuer = request.GET.get("iss")
    if issuer is not None and issuer != provider.issuer:
        raise LoginRefused("issuer", provider, detail=f"iss={issuer}")
    try:
        app = providers.client(provider)
        token = app.authorize_access_token(
            request,
            leeway=settings.IDENTITE_CLOCK_LEEWAY,
            claims_options={"iss": {"essential": True, "values": [provider.issuer]}},
        )
        if not token.get("userinfo"):  # no ID token: nothing proves who logged in
            raise LoginRefused("invalid", provider, detail="no id_token")
        id_claims = dict(token["userinfo"])
        userinfo = _userinfo(app, provider, token, id_claims["sub"])
    except LoginRefused:
        raise
    except Exception as exc:
        raise _refusal(exc, provider) from exc
    claims = {key: value for key, value in userinfo.items() if key not in ("acr", "amr")}
    claims.update(id_claims)
    return claims, token["id_token"]


BAD_SIGNATURE = (jose_errors.BadSignatureError, jose_errors.InvalidKeyIdError, jose_errors.DecodeError)
# An ID token the provider issued in the future (iat, nbf) means clocks apart beyond the leeway.
CLAIM_REASONS = {"nonce": "nonce", "iss": "issuer", "iat": "future", "nbf": "future"}


def _refusal(exc, provider):
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, providers.UnknownIssuer):
        reason = "issuer"
    elif isinstance(exc, MismatchingStateError):
        reason = "state"
    elif isinstance(exc, OAuthError):
        reason = "provider_error"
    elif isinstance(
        exc, jose_errors.BadSignatureError | jose_errors.InvalidKeyIdError | jose_errors.DecodeError
    ):
        reason = "signature"
    elif isinstance(exc, jose_errors.ExpiredTokenError):
        reason = "expired"
    elif isinstance(exc, jose_errors.ClaimError):
        reason = {"nonce": "nonce", "iss": "issuer", "iat": "future", "nbf": "future"}.get(
            exc.claim, "invalid"
        )
    elif isinstance(exc, requests.RequestException):
        reason = "unreachable"
    else:
        reason = "invalid"
    return LoginRefused(reason, provider, detail=detail)


def _userinfo(app, provider, token, sub):
    metadata = app.load_server_metadata()
    endpoint = metadata.get("userinfo_endpoint")
    if not endpoint:
        return {}
    response = app.get(endpoint, token=token)
    response.raise_for_status()
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type == "application/jwt":
        data = _signed_userinfo(app, provider, response.text.strip(), metadata)
    else:
        data = response.json()
    if data.get("sub") != sub:  # OpenID Connect Core 5.3.2: userinfo of someone else
        raise LoginRefused("invalid", provider, detail="userinfo sub differs from the ID token's")
    return data


def _signed_userinfo(app, provider, text, metadata):
    algorithms = metadata.get("userinfo_signing_alg_values_supported") or None
    try:
        decoded = jwt.decode(text, KeySet.import_key_set(app.fetch_jwk_set()), algorithms=algorithms)
    except jose_errors.InvalidKeyIdError:
        decoded = jwt.decode(
            text, KeySet.import_key_set(app.fetch_jwk_set(force=True)), algorithms=algorithms
        )
    jwt.JWTClaimsRegistry(
        leeway=settings.IDENTITE_CLOCK_LEEWAY,
        iss={"essential": False, "value": provider.issuer},
        aud={"essential": False, "value": provider.client_id},
    ).validate(decoded.claims)
    return decoded.claims


# The rule for « a second factor was already used » (docs/adr/0015-identite-oidc.md): the ID token's
# amr names a factor beyond the password (RFC 8176 values, and ProConnect's « mfa »), or its acr is
# eIDAS substantial or high, or one of ProConnect's « -2fa » assurance levels. eidas1 alone (both
# federations' default), self-asserted or consistency-checked without 2fa say nothing of a factor.
SECOND_FACTOR_AMR = frozenset({"mfa", "otp", "totp", "pop", "hwk", "swk", "sms", "fpt", "face", "iris"})
SECOND_FACTOR_ACR = frozenset(
    {
        "eidas2",
        "eidas3",
        "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
        "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
    }
)


def second_factor_used(claims):
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    return bool(SECOND_FACTOR_AMR & set(amr)) or claims.get("acr") in SECOND_FACTOR_ACR
