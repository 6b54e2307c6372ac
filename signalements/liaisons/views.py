"""The services' webhook endpoint, and the gestionnaires' page of sends that did not go through."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability

from .evenements import EventError, receive
from .models import Envoi, EtatEnvoi, Liaison, Mode
from .outbox import retry

MAX_BODY = 64 * 1024


# A machine calls it, authenticated by the body's signature, never by a session or a CSRF token.
@method_decorator([csrf_exempt, login_not_required], name="dispatch")
class EvenementsView(View):
    """A service's system posts the news of a report it received from us."""

    http_method_names = ["post"]

    def post(self, request, pk):
        liaison = (
            Liaison.objects.filter(pk=pk, mode=Mode.WEBHOOK, is_active=True).select_related("service").first()
        )
        if liaison is None:
            return JsonResponse({"erreur": "Liaison inconnue ou inactive."}, status=404)
        if len(request.body) > MAX_BODY:
            return JsonResponse({"erreur": "Corps trop long."}, status=400)
        try:
            answer = receive(liaison, request.headers, request.body)
        except EventError as error:
            return JsonResponse({"erreur": str(error)}, status=error.status)
        return JsonResponse(answer)

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = JsonResponse({"erreur": "Méthode non prise en charge : POST seulement."}, status=405)
        response["Allow"] = "POST"
        return response


def _envois_in_scope(user):
    if not perms.has_capability(user, Capability.TRIAGE_REPORTS):
        raise PermissionDenied
    return Envoi.objects.filter(signalement__commune__in=perms.communes_in_scope(user))


class EnvoiListView(ListView):
    """Sends failing or given up, with their error, for the gestionnaires to act on."""

    template_name = "signalements/liaisons/envois.html"
    context_object_name = "envois"
    paginate_by = 50
    ETATS = {"echec": [EtatEnvoi.ECHEC], "abandonne": [EtatEnvoi.ABANDONNE], "tous": list(EtatEnvoi)}

    def etat(self):
        value = self.request.GET.get("etat", "")
        return value if value in self.ETATS else ""

    def get_queryset(self):
        etats = self.ETATS.get(self.etat(), [EtatEnvoi.ECHEC, EtatEnvoi.ABANDONNE])
        return (
            _envois_in_scope(self.request.user)
            .filter(etat__in=etats)
            .select_related("signalement", "service")
            .order_by("-next_attempt_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(etat=self.etat(), **kwargs)


class RetryView(View):
    def post(self, request, pk):
        envoi = get_object_or_404(_envois_in_scope(request.user).select_related("signalement"), pk=pk)
        reference = envoi.signalement.reference
        if retry(envoi):
            messages.success(request, f"Envoi du signalement {reference} relancé.")
        else:
            messages.info(request, f"L'envoi du signalement {reference} n'est pas en échec.")
        return redirect("signalements:liaisons-envois")
