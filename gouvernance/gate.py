"""The one gate between the rows of a catalogued dataset and a request (ADR 7).

A view that serves a dataset's rows says which one: ``@serves_rows("gisements-fonciers")`` on a
Django view, ``GatedRowsAPIMixin`` with a ``row_gate`` on a DRF view (DRF authenticates tokens
inside the view, after a Django decorator would have run). Before the view runs, the gate decides
from the catalogue record: public data is open to everyone; any other sensitivity goes to
``acces.decide`` (roles, grants, commune scope, GDPR register). Every attempt by a known user on
non-public rows is written to the download log, and a refusal never reaches the view:
anonymous visitors are sent to log in (pages) or get 401 (API); others get 403 with the reason
and, when they may ask for it, the link to request access.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from rest_framework.exceptions import NotAuthenticated, PermissionDenied

from observatoire.core.rows import ATTRIBUTE
from observatoire.opendata.sources import DATASETS

from . import acces
from .enums import Sensibilite
from .models import JeuDeDonnees, Telechargement

LOGIN_NEEDED = "Connectez-vous : ce jeu de données est réservé."


def rows_decision(user, jeu):
    """May ``user`` see rows of ``jeu``? Public data: yes, even anonymously; otherwise the access rules."""
    if jeu.sensibilite == Sensibilite.PUBLIC:
        return acces.Decision(True, "Donnée publique.")
    return acces.decide(user, jeu)


def catalogued(slug):
    """The catalogue record of a declared dataset, created from its declaration if not synced yet."""
    declaration = DATASETS.get(slug)
    if declaration is None:
        jeu = JeuDeDonnees.objects.filter(slug=slug).first()
        if jeu is None:
            raise ImproperlyConfigured(f"Jeu de données « {slug} » ni déclaré ni catalogué.")
        return jeu
    return JeuDeDonnees.objects.get_or_create(slug=slug, defaults=declaration.defaults)[0]


@dataclass(frozen=True)
class RowGate:
    """What a view serves: the dataset ``slug``, or the URL argument naming it (generic downloads)."""

    slug: str = ""
    slug_kwarg: str = ""
    canal: str = Telechargement.Canal.WEB
    format: str = "html"
    api: bool = False

    def jeu_for(self, url_kwargs):
        if self.slug:
            return catalogued(self.slug)
        slug = (url_kwargs or {}).get(self.slug_kwarg)
        return get_object_or_404(JeuDeDonnees.objects.exclude(source_technique=""), slug=slug)

    def allows(self, user, url_kwargs=None):
        """For listings (links, observatory contents): nothing is logged."""
        return rows_decision(user, self.jeu_for(url_kwargs)).allowed

    def admit(self, request, url_kwargs):
        """(dataset, decision) for this request; an attempt on non-public rows by a known user is logged."""
        jeu = self.jeu_for(url_kwargs)
        decision = rows_decision(request.user, jeu)
        if jeu.sensibilite != Sensibilite.PUBLIC and request.user.is_authenticated:
            acces.audit(request, request.user, jeu, decision, self.canal, self.format)
        return jeu, decision

    def refusal(self, request, jeu, decision):
        """The answer to a refused request (a Django response)."""
        may_request = acces.may_request(request.user, jeu)
        demande_url = reverse("acces:demander", args=[jeu.slug]) if may_request else ""
        if self.api:
            if not request.user.is_authenticated:
                return JsonResponse(
                    {"detail": LOGIN_NEEDED}, status=401, headers={"WWW-Authenticate": "Session"}
                )
            return JsonResponse(
                {"detail": decision.reason, "jeu": jeu.slug, "demande": demande_url}, status=403
            )
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context = {"jeu": jeu, "decision": decision, "demande_url": demande_url}
        return render(request, "gouvernance/acces_refuse.html", context, status=403)


def serves_rows(slug="", *, slug_kwarg="", api=False, format=None):
    """Decorate a Django view (function or class) that serves rows of dataset ``slug``."""
    gate = RowGate(
        slug=slug,
        slug_kwarg=slug_kwarg,
        canal=Telechargement.Canal.API if api else Telechargement.Canal.WEB,
        format=format or ("json" if api else "html"),
        api=api,
    )

    def guard(view):
        @wraps(view)
        def gated(request, *args, **kwargs):
            jeu, decision = gate.admit(request, kwargs)
            if not decision.allowed:
                return gate.refusal(request, jeu, decision)
            return view(request, *args, **kwargs)

        return gated

    def decorate(view):
        view = method_decorator(guard, name="dispatch")(view) if isinstance(view, type) else guard(view)
        setattr(view, ATTRIBUTE, gate)
        return view

    return decorate


class GatedRowsAPIMixin:
    """For DRF views serving a dataset's rows: the gate runs once DRF has authenticated the caller."""

    row_gate: RowGate

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.jeu, decision = self.row_gate.admit(request, kwargs)
        if not decision.allowed:
            if not request.user.is_authenticated:
                raise NotAuthenticated(LOGIN_NEEDED)
            raise PermissionDenied(decision.reason)
