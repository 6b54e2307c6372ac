"""Back office: list, create, edit and deactivate response templates (see ``perms``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from observatoire.accounts import perms as account_perms

from . import perms
from .forms import ModeleReponseForm
from .models import ModeleReponse


class ModeleListView(ListView):
    template_name = "signalements/gestion/modeles.html"
    context_object_name = "modeles"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not perms.can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        communes = account_perms.communes_in_scope(self.request.user)
        return (
            ModeleReponse.objects.for_communes(communes)
            .select_related("categorie", "commune")
            .defer("commune__geom")
            .order_by("-is_active", "commune__nom", "titre", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        managed = {None} if perms.can_manage_metropole(user) else set()
        managed |= set(perms.manageable_communes(user).values_list("pk", flat=True))
        for modele in context["modeles"]:
            modele.editable = modele.commune_id in managed
        context["can_create"] = perms.can_manage_some(user)
        return context


class ModeleFormMixin:
    form_class = ModeleReponseForm
    template_name = "signalements/gestion/modele_form.html"
    success_url = reverse_lazy("signalements:gestion-modeles")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        if not perms.can_manage(self.request.user, form.cleaned_data["commune"]):
            raise PermissionDenied
        form.instance.updated_by = self.request.user
        form.instance.updated_at = timezone.now()
        response = super().form_valid(form)
        messages.success(self.request, f"Modèle « {self.object.titre} » enregistré.")
        return response


class ModeleCreateView(ModeleFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if not perms.can_manage_some(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ModeleUpdateView(ModeleFormMixin, UpdateView):
    model = ModeleReponse

    def get_object(self, queryset=None):
        modele = super().get_object(queryset)
        if not perms.can_manage(self.request.user, modele.commune):
            raise PermissionDenied
        return modele


class ModeleActivationView(View):
    """Deactivate (or reactivate) a template: it is kept, no longer offered."""

    def post(self, request, pk):
        modele = get_object_or_404(ModeleReponse, pk=pk)
        if not perms.can_manage(request.user, modele.commune):
            raise PermissionDenied
        modele.is_active = request.POST.get("actif") == "1"
        modele.updated_by = request.user
        modele.updated_at = timezone.now()
        modele.save(update_fields=["is_active", "updated_by", "updated_at"])
        state = "réactivé" if modele.is_active else "désactivé : il n'est plus proposé"
        messages.success(request, f"Modèle « {modele.titre} » {state}.")
        return redirect("signalements:gestion-modeles")
