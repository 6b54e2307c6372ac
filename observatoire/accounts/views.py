from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views import View
from django.views.generic import FormView, TemplateView

from . import perms, services
from .enums import Capability
from .forms import SignupForm
from .models import User


@method_decorator(login_not_required, name="dispatch")
class SignupView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("signup-done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        services.citizen_signup(form, self.request)
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class SignupDoneView(TemplateView):
    template_name = "accounts/signup_done.html"


@method_decorator(login_not_required, name="dispatch")
class ActivateView(View):
    def get(self, request, uidb64, token):
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
        except (User.DoesNotExist, ValueError, TypeError, OverflowError):
            user = None
        if user is not None and services.activate(user, token):
            login(request, user, backend="observatoire.accounts.backends.AccountBackend")
            messages.success(request, "Votre adresse est confirmée : votre compte est actif.")
            return redirect("profile")
        return render(request, "accounts/activation_invalid.html", status=400)


def workspaces(user):
    """The working spaces a person's roles open, for the account page."""
    links = [("Mes signalements", reverse("signalements:mes-signalements"))]
    if perms.has_capability(user, Capability.TRIAGE_REPORTS):
        links.append(("File de tri des signalements", reverse("signalements:gestion-tri")))
    if user.services_techniques.exists():
        links.append(("Signalements de mes services", reverse("signalements:gestion-service")))
    if perms.has_capability(user, Capability.MANAGE_COMMUNE_CATEGORIES):
        links.append(("Catégories de signalement de ma commune", reverse("signalements:gestion-categories")))
    if perms.has_capability(user, Capability.VIEW_REPORT_DASHBOARD):
        links.append(("Tableau de bord des signalements", "/signalements/tableau-de-bord/"))
    return links


class ProfileView(TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        metropolitan = perms.has_metropolitan_scope(user)
        return super().get_context_data(
            roles=user.roles,
            metropolitan_scope=metropolitan,
            communes=[] if metropolitan else perms.communes_in_scope(user),
            capabilities=[c for c in Capability if perms.has_capability(user, c)],
            workspaces=workspaces(user),
            **kwargs,
        )
