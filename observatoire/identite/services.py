"""Which account a ProConnect or FranceConnect identity opens (issue 14).

- an identity seen before opens its account;
- otherwise an account with the same e-mail, verified by the provider, is linked to it;
- otherwise an account is created: with no role after ProConnect (an administrator grants roles and
  scope, helped by the claims kept on ``IdentiteFederee``), as a citizen after FranceConnect;
  in both cases with an unusable password, so the identity is its only way in.

Nothing is ever granted from the claims.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.demo import demo_accounts_refused
from observatoire.accounts.enums import Role
from observatoire.accounts.models import User
from observatoire.connexions import journal
from observatoire.connexions.enums import EventType

from .enums import Fournisseur
from .models import IdentiteFederee
from .oidc import LoginRefused

# Claims kept verbatim for the admin, never the whole userinfo (birth place, phone…): minimisation.
KEPT_CLAIMS = (
    "sub",
    "email",
    "given_name",
    "usual_name",
    "family_name",
    "preferred_username",
    "uid",
    "siret",
    "organizational_unit",
    "belonging_population",
    "idp_id",
    "acr",
    "amr",
)


def _kept(claims):
    return {key: claims[key] for key in KEPT_CLAIMS if key in claims}


def _verified_email(claims):
    email = (claims.get("email") or "").strip().lower()
    # An e-mail the provider itself says it did not verify can't link or name an account.
    if claims.get("email_verified") is False:
        return ""
    return email


def _names(claims):
    last = claims.get("usual_name") or claims.get("family_name") or ""
    return (claims.get("given_name") or "")[:150], last[:150]


@transaction.atomic
def sign_in(request, provider, claims):
    """The account the identity opens, linked or created here. Raises ``LoginRefused``."""
    fournisseur = Fournisseur(provider.slug)
    email = _verified_email(claims)
    now = timezone.now()
    identite = (
        IdentiteFederee.objects.select_related("user")
        .select_for_update()
        .filter(fournisseur=fournisseur, sub=claims["sub"])
        .first()
    )
    if identite is not None:
        user = identite.user
        _refuse_if_closed(user, provider, email)
    else:
        if not email:
            raise LoginRefused("no_email", provider)
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            _refuse_if_closed(user, provider, email)
            if fournisseur == Fournisseur.FRANCECONNECT and set(user.roles) - {Role.CITOYEN}:
                # FranceConnect vouches for a citizen, not for an agent's professional access.
                raise LoginRefused("not_citizen", provider, email=email)
            event = EventType.OIDC_LINKED
        else:
            user = _create(fournisseur, email, claims)
            event = EventType.OIDC_CREATED
        identite = IdentiteFederee(user=user, fournisseur=fournisseur, sub=claims["sub"], first_login_at=now)
        journal.record(
            event, request=request, user=user, provider=provider.slug, siret=claims.get("siret", "")
        )
    identite.email = email or identite.email
    identite.siret = str(claims.get("siret") or "")[:14]
    identite.organizational_unit = str(claims.get("organizational_unit") or "")[:255]
    identite.claims = _kept(claims)
    identite.last_login_at = now
    identite.save()
    return user


def _refuse_if_closed(user, provider, email):
    if not user.is_active:
        raise LoginRefused("inactive", provider, email=email)
    if demo_accounts_refused(user):
        raise LoginRefused("demo", provider, email=email)


def _create(fournisseur, email, claims):
    first_name, last_name = _names(claims)
    user = User.objects.create_user(email=email, password=None, first_name=first_name, last_name=last_name)
    if fournisseur == Fournisseur.FRANCECONNECT:
        user.groups.add(Group.objects.get(name=Role.CITOYEN))
    return user
