from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import FormView, ListView, TemplateView

from observatoire.core.client import client_ip
from observatoire.core.maps import map_context
from observatoire.core.views import PublicPageView

from . import idempotency, media, services, workflow
from .actifs.lookup import actif_for, with_actifs
from .enums import Status
from .forms import SignalementForm
from .models import Signalement
from .photos import clean_photos
from .ratelimit import RateLimited, check_filing, check_support, peek_filing
from .satisfaction.services import with_avis_attendu
from .satisfaction.tracking import tracking_context


@method_decorator(login_not_required, name="dispatch")
class SignalerView(FormView):
    template_name = "signalements/signaler.html"
    form_class = SignalementForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("limit_refusal", None)
        context.setdefault("photos_lost", False)
        # Said before the form is filled in, not after: the peek counts nothing.
        context["limit_notice"] = peek_filing(self.request) if self.request.method == "GET" else None
        context.update(
            categories=context["form"].fields["categorie"].queryset.annotate(a_des_actifs=with_actifs()),
            selected_categorie=str(context["form"]["categorie"].value() or ""),
            **map_context(),
        )
        return context

    def form_valid(self, form):
        if form.is_robot:
            # Say nothing useful to a robot, store nothing.
            messages.info(self.request, "Merci, votre signalement a été transmis.")
            return redirect("signalements:index")
        data = form.cleaned_data
        content = {key: data[key] for key in ("lon", "lat", "categorie", "description", "email")}
        try:
            actif = actif_for(data["categorie"], data["actif"])
        except services.FilingError as error:
            form.add_error("actif", str(error))
            return self.form_invalid(form)
        if actif is not None:  # the position sent is the asset's; the fingerprint then covers it
            content["lon"], content["lat"] = services.actif_lonlat(actif, data["categorie"])
        content["reponses"] = form.reponses_for(data["categorie"])
        # The token is ours and unguessable: it needs no client scope.
        claim = idempotency.Claim.of(
            "formulaire", "formulaire", data["idempotency_key"] or None, **content, photos=data["photos"]
        )
        try:
            previous = claim.previous()
        except idempotency.IdempotencyError:
            return self.sent_already(form)
        if previous is not None:
            return self.filed(previous)
        # The limit comes before decoding the photos, which costs seconds of CPU for large ones.
        try:
            check_filing(self.request)
        except RateLimited as error:
            # Not a form error: nothing typed is wrong. What was typed stays in the bound form.
            context = self.get_context_data(form=form, limit_refusal=error, photos_lost=bool(data["photos"]))
            return self.render_to_response(context, status=429)
        try:
            photos = clean_photos(data["photos"])
        except ValidationError as error:
            form.add_error("photos", error)
            return self.form_invalid(form)
        try:
            report = claim.file(
                lambda: services.file_signalement(
                    user=self.request.user, **content, photos=photos, ip=client_ip(self.request), actif=actif
                )
            )
        except services.FilingError as error:
            if (error.field or "").startswith("question-") or error.field == "reponses":
                form.add_answers_error(data["categorie"], error)
            else:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            return self.form_invalid(form)
        return self.filed(report)

    def sent_already(self, form):
        """This form's token filed something else: say so, with a fresh token for a new report."""
        form.data = form.data.copy()
        form.data["idempotency_key"] = idempotency.new_form_token()
        form.add_error(
            None,
            "Ce formulaire a déjà servi à envoyer un autre signalement. Vérifiez celui-ci et envoyez-le "
            "à nouveau : il sera enregistré comme un nouveau signalement.",
        )
        return self.form_invalid(form)

    def filed(self, report):
        messages.success(
            self.request,
            f"Signalement {report.reference} enregistré. Gardez l'adresse de cette page pour le suivre.",
        )
        return redirect(report.get_tracking_url())


@method_decorator(login_not_required, name="dispatch")
class SuiviView(TemplateView):
    """The reporter's tracking page, reached through an unguessable token."""

    template_name = "signalements/suivi.html"

    def get_context_data(self, token, avis_form=None, **kwargs):
        report = get_object_or_404(
            Signalement.objects.select_related("commune", "categorie", "sous_categorie", "service").defer(
                "commune__geom"
            ),
            token=token,
        )
        can_reopen = Status.REOUVERT in workflow.possible_transitions(self.request.user, report, token=token)
        return super().get_context_data(
            signalement=report,
            historique=report.historique.filter(is_public=True),
            photos=report.photos.all(),
            can_reopen=can_reopen and report.resolved_at is not None,
            **tracking_context(report, avis_form),
            **kwargs,
        )


@require_safe
@login_not_required
def photo(request, pk, token=None, thumbnail=False):
    """A report's photo for whom may see the report: the public once published, its token, its agents."""
    return media.serve(request, pk, thumbnail=thumbnail, token=token)


@method_decorator(login_not_required, name="dispatch")
class RouvrirView(View):
    def post(self, request, token):
        report = get_object_or_404(Signalement, token=token)
        try:
            workflow.transition(
                report,
                Status.REOUVERT,
                user=request.user,
                token=token,
                note=request.POST.get("note", "")[:2000],
            )
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Merci : le signalement est rouvert et va être réexaminé.")
        return redirect(report.get_tracking_url())


@method_decorator(login_not_required, name="dispatch")
class SoutenirView(View):
    def post(self, request, pk):
        report = get_object_or_404(Signalement.objects.open(), pk=pk)
        try:
            check_support(request)
        except RateLimited as error:
            messages.error(request, str(error))
            return redirect("signalements:index")
        if services.support(report, request.user):
            messages.success(
                request, f"Merci : votre soutien au signalement {report.reference} est enregistré."
            )
        else:
            messages.info(request, "Vous soutenez déjà ce signalement.")
        return redirect("signalements:index")


class MesSignalementsView(ListView):
    template_name = "signalements/mes_signalements.html"
    context_object_name = "signalements"
    paginate_by = 20

    def get_queryset(self):
        return with_avis_attendu(
            Signalement.objects.filter(reporter=self.request.user)
            .select_related("commune", "categorie")
            .defer("commune__geom")
        )


class IndexView(PublicPageView):
    template_name = "signalements/index.html"
