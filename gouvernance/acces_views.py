"""Meta-catalogue for agents and partners, access requests and decisions, restricted downloads, audit."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability
from observatoire.core.spreadsheets import csv_writer
from observatoire.opendata.models import Publication
from observatoire.opendata.views import FacetedSearchMixin

from . import acces
from .acces_forms import DecisionForm, DemandeAccesForm
from .gate import RowGate
from .models import DemandeAcces, JeuDeDonnees, StatutDemande, Telechargement

AUDIT_COLUMNS = [
    *("date", "utilisateur", "organisation", "jeu", "format", "version"),
    *("canal", "autorise", "motif", "ip", "navigateur"),
]
CATALOGUE_READERS = (
    Capability.VIEW_AGENT_CONTENT,
    Capability.VIEW_COMMUNAL_CONTENT,
    Capability.REQUEST_DATASET_ACCESS,
    Capability.MANAGE_CATALOGUE,
)


def reads_catalogue(user):
    """Agents and partners read the full meta-catalogue (every sensitivity); others, open data only."""
    return any(perms.has_capability(user, capability) for capability in CATALOGUE_READERS)


def requires(*capabilities):
    def check(view):
        def wrapped(request, *args, **kwargs):
            if not any(perms.has_capability(request.user, c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return method_decorator(check, name="dispatch")


@requires(*CATALOGUE_READERS)
class MetaCatalogueView(FacetedSearchMixin, ListView):
    """Every dataset the portal holds or references, whatever its sensitivity (metadata only)."""

    template_name = "gouvernance/catalogue.html"
    facets = {"theme": "Thème", "sensibilite": "Sensibilité", "producteur": "Producteur", "format": "Format"}

    def base_queryset(self):
        return JeuDeDonnees.objects.all()


@requires(*CATALOGUE_READERS)
class JeuCatalogueView(DetailView):
    template_name = "gouvernance/jeu.html"
    context_object_name = "jeu"

    def get_queryset(self):
        return JeuDeDonnees.objects.prefetch_related(
            Prefetch("publications", queryset=Publication.objects.prefetch_related("ressources"))
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            decision=acces.decide(user, self.object),
            peut_demander=acces.may_request(user, self.object),
            demandes=self.object.demandes.filter(demandeur=user),
            **kwargs,
        )


@requires(Capability.REQUEST_DATASET_ACCESS)
class DemandeCreateView(FormView):
    template_name = "gouvernance/demande_form.html"
    form_class = DemandeAccesForm

    def dispatch(self, request, slug):
        self.jeu = get_object_or_404(JeuDeDonnees, slug=slug)
        if not acces.may_request(request.user, self.jeu):
            messages.error(
                request, "Ce jeu ne peut pas faire l'objet d'une demande (ou une demande est en cours)."
            )
            return redirect("acces:jeu", slug=slug)
        return super().dispatch(request, slug)

    def form_valid(self, form):
        demande = form.save(commit=False)
        demande.jeu, demande.demandeur, demande.organisation = (
            self.jeu,
            self.request.user,
            self.request.user.organisation,
        )
        demande.save()
        messages.success(
            self.request, "Votre demande a été transmise à l'administrateur général des données."
        )
        return redirect("acces:mes-demandes")

    def get_context_data(self, **kwargs):
        return super().get_context_data(jeu=self.jeu, **kwargs)


class MesDemandesView(ListView):
    template_name = "gouvernance/mes_demandes.html"
    context_object_name = "demandes"

    def get_queryset(self):
        return DemandeAcces.objects.filter(demandeur=self.request.user).select_related("jeu")

    def get_context_data(self, **kwargs):
        from rest_framework.authtoken.models import Token

        has_token = Token.objects.filter(user=self.request.user).exists()
        return super().get_context_data(has_token=has_token, **kwargs)


@requires(Capability.GRANT_DATASET_ACCESS)
class DemandesAInstruireView(ListView):
    template_name = "gouvernance/demandes.html"
    context_object_name = "demandes"
    paginate_by = 50

    def get_queryset(self):
        statut = self.request.GET.get("statut", StatutDemande.EN_ATTENTE)
        rows = DemandeAcces.objects.select_related("jeu", "demandeur", "organisation")
        return rows.filter(status=statut) if statut in StatutDemande.values else rows

    def get_context_data(self, **kwargs):
        statut = self.request.GET.get("statut", StatutDemande.EN_ATTENTE)
        return super().get_context_data(
            statuts=StatutDemande.choices,
            statut=statut,
            statut_label=dict(StatutDemande.choices).get(statut, "toutes"),
            **kwargs,
        )


@requires(Capability.GRANT_DATASET_ACCESS)
class DecisionView(FormView):
    template_name = "gouvernance/decision.html"
    form_class = DecisionForm

    def dispatch(self, request, pk):
        self.demande = get_object_or_404(DemandeAcces.objects.select_related("jeu", "demandeur"), pk=pk)
        return super().dispatch(request, pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "demande": self.demande}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["decision"] == "accorder":
                fin = timezone.make_aware(datetime.combine(data["fin"], time(23, 59, 59)))
                self.demande.transition(
                    StatutDemande.ACCORDEE, self.request.user, data["motif"], expires_at=fin
                )
            else:
                self.demande.transition(StatutDemande.REFUSEE, self.request.user, data["motif"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Décision enregistrée : {self.demande.get_status_display().lower()}.")
        return redirect("acces:demandes")

    def get_context_data(self, **kwargs):
        # Warned before deciding: transition() refuses the grant while the register has this gap.
        return super().get_context_data(demande=self.demande, gap=self.demande.register_gap(), **kwargs)


@requires(Capability.GRANT_DATASET_ACCESS)
class RevokeView(View):
    def post(self, request, pk):
        demande = get_object_or_404(DemandeAcces, pk=pk)
        try:
            demande.transition(StatutDemande.REVOQUEE, request.user, request.POST.get("motif", "Révocation"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("acces:demandes")


def csv_download(jeu):
    """The dataset's rows as a CSV attachment; only ever called behind the row gate."""
    response = StreamingHttpResponse(acces.stream_csv(jeu), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{jeu.slug}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


class TelechargerView(View):
    """Restricted or personal data, under a valid grant or an authorised role; every attempt is logged."""

    row_gate = RowGate(slug_kwarg="slug", format="csv")

    def get(self, request, slug):
        # The gate decides and logs; a refusal here goes back to the dataset's page, which says why.
        jeu, decision = self.row_gate.admit(request, {"slug": slug})
        if not decision.allowed:
            messages.error(request, f"Téléchargement refusé : {decision.reason}")
            return redirect("acces:jeu", slug=slug)
        return csv_download(jeu)


@requires(Capability.VIEW_DOWNLOAD_AUDIT)
class AuditView(ListView):
    template_name = "gouvernance/audit.html"
    context_object_name = "lignes"
    paginate_by = 100

    def get_queryset(self):
        rows = Telechargement.objects.select_related("jeu")
        get = self.request.GET
        if get.get("jeu"):
            rows = rows.filter(jeu__slug=get["jeu"])
        if get.get("utilisateur"):
            rows = rows.filter(user_email__icontains=get["utilisateur"])
        if get.get("refus") == "1":
            rows = rows.filter(autorise=False)
        return rows

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") != "csv":
            return super().render_to_response(context, **kwargs)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="journal-telechargements.csv"'
        writer = csv_writer(response)  # user agents and reasons are client text: no formulas
        writer.writerow(AUDIT_COLUMNS)
        for row in self.get_queryset().iterator():
            writer.writerow([
                timezone.localtime(row.at).isoformat(), row.user_email, row.organisation, row.jeu.slug,
                row.format, row.version, row.get_canal_display(), "oui" if row.autorise else "non",
                row.motif, row.ip, row.user_agent,
            ])  # fmt: skip
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filtres=self.request.GET, jeux=JeuDeDonnees.objects.only("slug", "titre"), **kwargs
        )


@requires(Capability.REQUEST_DATASET_ACCESS)
class JetonView(View):
    """A partner (re)creates its API token; shown once, only its existence afterwards."""

    def post(self, request):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        messages.success(
            request,
            f"Nouveau jeton d'API (notez-le, il ne sera plus affiché) : {token.key}. "
            "L'ancien jeton ne fonctionne plus.",
        )
        return redirect("acces:mes-demandes")
