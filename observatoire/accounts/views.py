from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views import View
from django.views.generic import FormView, TemplateView

from . import perms, services
from .enums import Capability
from .forms import SignupForm
from .models import User
from .spaces import spaces_of


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
            spaces=spaces_of(user),
            **kwargs,
        )
