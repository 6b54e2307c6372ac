from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from observatoire.connexions import journal
from observatoire.connexions.enums import EventType
from observatoire.mfa.policy import mark_verified, requires_second_factor

from . import oidc, providers, services

# What the session remembers of an OpenID Connect login: the provider and the ID token, which the
# logout sends back as id_token_hint so the provider ends its own session too.
SESSION_KEY = "identite"
NEXT_KEY = "identite_next"
BACKEND = "observatoire.accounts.backends.AccountBackend"


def _provider_or_404(slug):
    provider = providers.get(slug)
    if provider is None:
        raise Http404("Fournisseur d'identité inconnu ou non configuré.")
    return provider


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def _refused(request, provider, refusal):
    journal.record(
        EventType.LOGIN_FAILED,
        request=request,
        email=refusal.email,
        provider=provider.slug,
        reason=refusal.reason,
        detail=refusal.detail[:500],
    )
    messages.error(request, refusal.message)
    return redirect("login")


@login_not_required
@require_GET
def connexion(request, slug):
    provider = _provider_or_404(slug)
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("identite:retour", args=[provider.slug]))
    try:
        return oidc.authorize_redirect(request, provider, redirect_uri)
    except oidc.LoginRefused as refusal:
        return _refused(request, provider, refusal)


@login_not_required
@require_GET
def retour(request, slug):
    provider = _provider_or_404(slug)
    try:
        claims, id_token = oidc.finish(request, provider)
        user = services.sign_in(request, provider, claims)
    except oidc.LoginRefused as refusal:
        return _refused(request, provider, refusal)
    next_url = request.session.pop(NEXT_KEY, "")
    login(request, user, backend=BACKEND)
    request.session[SESSION_KEY] = {"provider": provider.slug, "id_token": id_token}
    second_factor = oidc.second_factor_used(claims)
    if second_factor and requires_second_factor(user):
        mark_verified(request, provider.slug)
    journal.record(
        EventType.LOGIN,
        request=request,
        user=user,
        provider=provider.slug,
        acr=claims.get("acr", ""),
        amr=claims.get("amr", []),
        second_factor_from_provider=second_factor,
    )
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@login_not_required
@require_POST
def deconnexion(request):
    """Log out here, then at the provider that opened the session (RP-initiated logout)."""
    federated = request.session.get(SESSION_KEY) or {}
    user = request.user if request.user.is_authenticated else None
    if user is not None and federated:
        # Other sessions' logouts are journaled by connexions' receiver, which knows their method.
        journal.record(EventType.LOGOUT, request=request, user=user, provider=federated.get("provider", ""))
    logout(request)
    provider = providers.get(federated.get("provider", ""))
    if provider is None:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    try:
        app = providers.client(provider)
        end_session = app.create_logout_url(
            post_logout_redirect_uri=request.build_absolute_uri(reverse("identite:deconnexion-retour")),
            id_token_hint=federated.get("id_token"),
        )
    except Exception:  # noqa: BLE001 - the local session is closed whatever the provider says
        messages.warning(
            request, f"Vous êtes déconnecté du portail, mais pas de {provider.label}, qui ne répond pas."
        )
        return redirect(settings.LOGOUT_REDIRECT_URL)
    request.session["identite_logout_state"] = end_session["state"]
    # A page, not a redirect: see the template.
    return render(
        request, "identite/deconnexion.html", {"provider": provider, "end_session_url": end_session["url"]}
    )


@login_not_required
@require_GET
def deconnexion_retour(request):
    expected = request.session.pop("identite_logout_state", None)
    if expected and request.GET.get("state") == expected:
        messages.success(request, "Vous êtes déconnecté du portail et de votre fournisseur d'identité.")
    return redirect(settings.LOGOUT_REDIRECT_URL)
