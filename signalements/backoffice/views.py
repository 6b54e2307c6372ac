"""Back office: the gestionnaire's triage queue, the services' queue, one report's page, and the
communal administrator's category settings. Every check goes through accounts.perms / workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability
from observatoire.core.maps import map_context
from observatoire.core.spreadsheets import csv_writer
from observatoire.territoires.geometry import to_wgs84
from observatoire.territoires.models import Commune

from .. import triage, workflow
from ..enums import PhotoKind, Status
from ..models import Categorie, CategorieCommune, CategorieCommuneChange, Service, Signalement
from ..reponses import transition as reponses
from ..satisfaction.models import Avis
from ..services import FilingError, add_photo, log_activation_change
from .filters import TRIAGE_STATUSES, QueueFilter
from .forms import AfterPhotoForm, CategorieCommuneForm, RequalifyForm, TransitionForm

CSV_COLUMNS = [
    ("reference", "Référence"),
    ("commune", "Commune"),
    ("categorie", "Catégorie"),
    ("sous_categorie", "Sous-catégorie"),
    ("status", "État"),
    ("service", "Service"),
    ("created_at", "Déposé le"),
    ("resolved_at", "Résolu le"),
    ("lon", "Longitude"),
    ("lat", "Latitude"),
]


class QueueView(ListView):
    """A filtered, paginated list of reports, as a table, a map, or CSV."""

    template_name = "signalements/gestion/file.html"
    context_object_name = "signalements"
    paginate_by = 50
    title = ""

    def base_queryset(self):
        raise NotImplementedError

    def default_statuses(self):
        return []

    def get_queryset(self):
        data = self.request.GET.copy()
        if "status" not in data and self.default_statuses():
            data.setlist("status", [str(s) for s in self.default_statuses()])
        self.filterset = QueueFilter(
            data, queryset=self.base_queryset(), communes=perms.communes_in_scope(self.request.user)
        )
        return (
            self.filterset.qs.select_related("commune", "categorie", "sous_categorie", "service")
            .defer("commune__geom")
            .with_lonlat()
            .order_by("created_at")
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def csv_response(self):
        """Export without personal data: managers share these lists."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="signalements-{timezone.localdate()}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        # Category and service names are typed in the admin: no cell may run as a formula.
        writer = csv_writer(response, delimiter=";")
        writer.writerow([label for _, label in CSV_COLUMNS])
        for report in self.get_queryset().iterator(chunk_size=2000):
            writer.writerow(
                [
                    report.reference,
                    report.commune.nom,
                    report.categorie.nom,
                    report.sous_categorie.nom if report.sous_categorie else "",
                    report.get_status_display(),
                    report.service.nom if report.service else "",
                    timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(report.resolved_at).strftime("%Y-%m-%d %H:%M")
                    if report.resolved_at
                    else "",
                    round(report.lon, 6),
                    round(report.lat, 6),
                ]
            )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        points = []
        for report in context["signalements"]:
            points.append(
                {
                    "lat": round(report.lat, 6),
                    "lon": round(report.lon, 6),
                    "label": f"{report.reference} · {report.categorie.nom}",
                    "url": f"/signalements/gestion/{report.pk}/",
                }
            )
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **context,
            "filter": self.filterset,
            "title": self.title,
            "points": points,
            "querystring": query.urlencode(),
            **map_context(),
        }


class TriageQueueView(QueueView):
    title = "File de tri des signalements"

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_capability(request.user, Capability.TRIAGE_REPORTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return Signalement.objects.filter(commune__in=perms.communes_in_scope(self.request.user))

    def default_statuses(self):
        return TRIAGE_STATUSES


class ServiceQueueView(QueueView):
    title = "Signalements de mes services"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.services_techniques.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return Signalement.objects.filter(service__in=self.request.user.services_techniques.all())

    def default_statuses(self):
        return [Status.TRANSMIS, Status.PRIS_EN_CHARGE, Status.PLANIFIE]


def _report_for_staff(request, pk):
    report = get_object_or_404(
        Signalement.objects.select_related("commune", "categorie", "service", "actif").defer("commune__geom"),
        pk=pk,
    )
    actors = workflow.actors_for(request.user, report) - {workflow.Actor.REPORTER}
    if not actors:
        raise PermissionDenied
    return report, actors


class ReportManageView(TemplateView):
    template_name = "signalements/gestion/detail.html"

    def get_context_data(self, pk, **kwargs):
        report, actors = _report_for_staff(self.request, pk)
        targets = workflow.possible_transitions(self.request.user, report)
        point = to_wgs84(report.geom)
        is_gestionnaire = workflow.Actor.GESTIONNAIRE in actors
        modeles = reponses.offered(report, actors)
        requalify_form = None
        if is_gestionnaire:
            requalify_form = RequalifyForm(
                categorie=report.categorie,
                initial={
                    "categorie": report.categorie_id,
                    "sous_categorie": report.sous_categorie_id,
                    "lat": round(point.y, 6),
                    "lon": round(point.x, 6),
                    "description_validee": report.description_validee,
                },
            )
        return super().get_context_data(
            signalement=report,
            historique=report.historique.select_related("by"),
            photos=report.photos.all(),
            doublons=report.doublons.all(),
            avis=Avis.objects.filter(signalement=report).first(),
            is_gestionnaire=is_gestionnaire,
            is_service=workflow.Actor.SERVICE in actors,
            transition_form=TransitionForm(
                targets=targets, initial={"service": workflow.routing_service(report)}, modeles=modeles
            )
            if targets
            else None,
            modeles_reponse=reponses.texts_for_page(modeles, report),
            requalify_form=requalify_form,
            photo_form=AfterPhotoForm() if workflow.Actor.SERVICE in actors else None,
            proposed_service=workflow.routing_service(report),
            lat=round(point.y, 6),
            lon=round(point.x, 6),
            **map_context(),
            **kwargs,
        )


class TransitionView(View):
    def post(self, request, pk):
        report, actors = _report_for_staff(request, pk)
        form = TransitionForm(
            request.POST,
            targets=workflow.possible_transitions(request.user, report),
            report=report,
            modeles=reponses.offered(report, actors),
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("signalements:gestion-detail", pk=pk)
        data = form.cleaned_data
        try:
            workflow.transition_from_form(report, request.user, data)
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Signalement {report.reference} : {Status(data['to_status']).label}.")
        return redirect("signalements:gestion-detail", pk=pk)


class RequalifyView(View):
    def post(self, request, pk):
        report, _ = _report_for_staff(request, pk)
        form = RequalifyForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Requalification impossible : vérifiez les champs.")
            return redirect("signalements:gestion-detail", pk=pk)
        data = form.cleaned_data
        try:
            changes = triage.requalify(
                report,
                request.user,
                categorie=data["categorie"],
                sous_categorie=data["sous_categorie"],
                lon=data["lon"],
                lat=data["lat"],
                description_validee=data["description_validee"],
            )
        except (workflow.TransitionError, FilingError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "; ".join(changes) if changes else "Aucun changement.")
        return redirect("signalements:gestion-detail", pk=pk)


class AfterPhotoView(View):
    def post(self, request, pk):
        report, actors = _report_for_staff(request, pk)
        if workflow.Actor.SERVICE not in actors:
            raise PermissionDenied
        form = AfterPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            add_photo(report, form.cleaned_data["photo"], kind=PhotoKind.APRES)
            messages.success(request, "Photo après intervention ajoutée.")
        else:
            for error in form.errors.get("photo", []):
                messages.error(request, error)
        return redirect("signalements:gestion-detail", pk=pk)


class CategorySettingsView(TemplateView):
    """The communal administrator opens or closes each category for his commune."""

    template_name = "signalements/gestion/categories.html"

    def communes(self):
        if not perms.has_capability(self.request.user, Capability.MANAGE_COMMUNE_CATEGORIES):
            raise PermissionDenied
        return perms.communes_in_scope(self.request.user).order_by("nom")

    def dispatch(self, request, *args, insee=None, **kwargs):
        communes = self.communes()
        if insee is None:
            first = communes.first()
            if first is None:
                raise PermissionDenied
            return redirect("signalements:gestion-categories-commune", insee=first.insee)
        self.commune = get_object_or_404(Commune, insee=insee)
        if not perms.can(request.user, Capability.MANAGE_COMMUNE_CATEGORIES, commune=self.commune):
            raise PermissionDenied
        self.all_communes = communes
        return super().dispatch(request, *args, insee=insee, **kwargs)

    def rows(self):
        existing = {row.categorie_id: row for row in self.commune.categories_signalement.all()}
        return [
            existing.get(categorie.pk) or CategorieCommune(commune=self.commune, categorie=categorie)
            for categorie in Categorie.objects.filter(parent__isnull=True, is_active=True)
        ]

    def forms(self, data=None):
        services = services_for(self.commune)
        return [
            CategorieCommuneForm(data, instance=row, prefix=row.categorie.code, services=services)
            for row in self.rows()
        ]

    def get_context_data(self, forms=None, **kwargs):
        return super().get_context_data(
            commune=self.commune,
            communes=self.all_communes,
            forms=forms or self.forms(),
            changes=self.commune_changes(),
            **kwargs,
        )

    def commune_changes(self):
        """The latest changes, each with what changed in words (services named in one query)."""
        changes = CategorieCommuneChange.objects.filter(ouverture__commune=self.commune).select_related(
            "ouverture__categorie", "changed_by"
        )[:20]
        service_ids = {
            snapshot.get("service") for change in changes for snapshot in (change.before or {}, change.after)
        }
        names = dict(Service.objects.filter(pk__in=service_ids - {None}).values_list("pk", "nom"))
        return [(change, change.differences(names)) for change in changes]

    def post(self, request, insee):
        forms = self.forms(request.POST)
        if not all(form.is_valid() for form in forms):
            messages.error(
                request, "Certaines catégories n'ont pas été enregistrées : corrigez les champs signalés."
            )
            return self.render_to_response(self.get_context_data(forms=forms))
        with transaction.atomic():
            for form in forms:
                before = (
                    CategorieCommune.objects.get(pk=form.instance.pk).snapshot() if form.instance.pk else None
                )
                row = form.save()
                log_activation_change(row, request.user, before)
        messages.success(request, f"Catégories de {self.commune.nom} enregistrées.")
        return redirect("signalements:gestion-categories-commune", insee=self.commune.insee)


def services_for(commune):
    """Services a commune may route to: its own, and those not tied to a commune."""
    return Service.objects.filter(is_active=True).filter(Q(commune=commune) | Q(commune__isnull=True))
