"""The public pages of area alerts: subscribe, confirm, unsubscribe, and the Atom feeds."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.generic import FormView

from observatoire.core.client import client_ip
from observatoire.core.maps import map_context

from ..ratelimit import RateLimited
from . import services
from .feeds import SignalementsFeed
from .forms import AbonnementForm, FluxForm
from .models import Abonnement

FEED_MAX_AGE = 300


@method_decorator(login_not_required, name="dispatch")
class AbonnementView(FormView):
    template_name = "signalements/alertes/abonnement.html"
    form_class = AbonnementForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(heures=settings.ALERTES_CONFIRMATION_HOURS, **map_context(), **kwargs)

    def form_valid(self, form):
        try:
            abonnement = services.subscribe(form.instance, client_ip(self.request))
        except RateLimited as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return render(
            self.request,
            "signalements/alertes/envoye.html",
            {"abonnement": abonnement, "heures": settings.ALERTES_CONFIRMATION_HOURS},
        )


class TokenView(View):
    """A page reached by the secret link of one subscription."""

    template_name = ""

    def subscription(self, token):
        return get_object_or_404(Abonnement, token=token)

    def page(self, abonnement, status=200, **context):
        return render(self.request, self.template_name, {"abonnement": abonnement, **context}, status=status)


@method_decorator(login_not_required, name="dispatch")
class ConfirmationView(TokenView):
    """GET shows a button, POST confirms: a link checker opening the mail confirms nothing."""

    template_name = "signalements/alertes/confirmation.html"

    def get(self, request, token):
        abonnement = self.subscription(token)
        if services.is_expired(abonnement):
            return self.page(abonnement, status=410, expire=True)
        return self.page(abonnement)

    def post(self, request, token):
        abonnement = self.subscription(token)
        if services.is_expired(abonnement):
            return self.page(abonnement, status=410, expire=True)
        return self.page(services.confirm(abonnement), confirme=True)


# RFC 8058: the mail provider POSTs « List-Unsubscribe=One-Click » with no cookie and no CSRF
# token; the unguessable token in the address is the proof.
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class DesabonnementView(TokenView):
    template_name = "signalements/alertes/desabonnement.html"

    def get(self, request, token):
        return self.page(self.subscription(token))

    def post(self, request, token):
        abonnement = services.unsubscribe(self.subscription(token))
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Désabonnement enregistré.", content_type="text/plain; charset=utf-8")
        return self.page(abonnement, desabonne=True)


@login_not_required
@require_GET
def flux(request):
    """Atom; bad parameters get a 400 in French, in plain text."""
    form = FluxForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            f"Paramètres du flux incorrects : {form.first_error()}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    selection = {
        "perimetre": form.perimetre(),
        "kind": form.cleaned_data["type"] or "nouveaux",
        "categorie": form.cleaned_data["categorie"],
        "url": request.get_full_path(),
    }
    response = SignalementsFeed()(request, selection=selection)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
