"""ProConnect and FranceConnect as configured by the environment, and their Authlib clients.

A provider is on only when its issuer, client id and secret are all set (``IDENTITE_PROVIDERS`` in
settings, read from ``PROCONNECT_*`` / ``FRANCECONNECT_*``). Its endpoints come from discovery at
``<issuer>/.well-known/openid-configuration``; the document must name the very issuer we were given,
otherwise a misconfigured or hostile server could speak for another one.
"""

import json
from dataclasses import dataclass, field

from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings

from .enums import Fournisseur

# What each federation expects beyond the standard (its documentation for partners):
# ProConnect returns amr only when asked for it as an essential claim; both ask for eIDAS level 1.
DEFAULTS = {
    Fournisseur.PROCONNECT: {
        "scopes": "openid email given_name usual_name uid siret organizational_unit idp_id",
        "acr_values": "eidas1",
        "claims": {"id_token": {"amr": {"essential": True}}},
    },
    Fournisseur.FRANCECONNECT: {
        "scopes": "openid email given_name family_name preferred_username birthdate",
        "acr_values": "eidas1",
        "claims": {},
    },
}


class UnknownIssuer(Exception):
    pass


@dataclass(frozen=True)
class Provider:
    slug: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    acr_values: str = ""
    claims: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self):
        return Fournisseur(self.slug).label

    @property
    def configured(self):
        return bool(self.issuer and self.client_id and self.client_secret)

    @property
    def discovery_url(self):
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def authorize_params(self):
        params = {}
        if self.acr_values:
            params["acr_values"] = self.acr_values
        if self.claims:
            params["claims"] = json.dumps(self.claims, separators=(",", ":"))
        return params


def get(slug):
    """The provider named ``slug`` if it is configured, else ``None``."""
    try:
        fournisseur = Fournisseur(slug)
    except ValueError:
        return None
    conf = settings.IDENTITE_PROVIDERS.get(fournisseur.value, {})
    defaults = DEFAULTS[fournisseur]
    provider = Provider(
        slug=fournisseur.value,
        issuer=conf.get("issuer", ""),
        client_id=conf.get("client_id", ""),
        client_secret=conf.get("client_secret", ""),
        scopes=conf.get("scopes") or defaults["scopes"],
        acr_values=conf.get("acr_values", defaults["acr_values"]),
        claims=defaults["claims"],
    )
    return provider if provider.configured else None


def configured():
    return [provider for slug in Fournisseur.values if (provider := get(slug))]


# One client per configuration: it keeps the discovered metadata and the JWKS between requests
# (a key id it does not know makes it fetch the JWKS again, so a key rotation is followed).
_clients = {}


def client(provider):
    app = _clients.get(provider)
    if app is None:
        app = DjangoOAuth2App(
            framework=DjangoIntegration(provider.slug),
            name=provider.slug,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "default_timeout": settings.IDENTITE_HTTP_TIMEOUT,
            },
        )
        _clients[provider] = app
    metadata = app.load_server_metadata()
    if metadata.get("issuer") != provider.issuer:
        _clients.pop(provider, None)
        raise UnknownIssuer(metadata.get("issuer"))
    return app
