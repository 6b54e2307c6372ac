from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.decorators.http import require_GET

from . import services
from .forms import CodeForm, EnrolmentForm
from .middleware import second_factor_exempt
from .policy import is_verified, requires_second_factor

# Recovery codes are shown once: they wait in the session until the user says they kept them.
CODES_SESSION_KEY = "mfa_codes_a_conserver"


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@method_decorator(second_factor_exempt, name="dispatch")
class ChallengeView(View):
    template_name = "mfa/verification.html"

    def dispatch(self, request, *args, **kwargs):
        step = services.next_step(request.user)
        if is_verified(request) or step is None:
            return redirect(_next_url(request))
        if step == services.ENROLMENT:
            return redirect(f"{resolve_url('mfa:enrolement')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            outcome = services.check_code(request, form.cleaned_data["code"])
            if outcome.ok:
                if outcome.recovery_left is not None:
                    messages.warning(
                        request,
                        f"Code de secours accepté. Il vous en reste {outcome.recovery_left} : "
                        "régénérez-les depuis « Mon compte » si besoin.",
                    )
                return redirect(_next_url(request))
            if outcome.locked_until:
                seconds = max(1, round((outcome.locked_until - timezone.now()).total_seconds()))
                form.add_error(
                    "code", f"Trop d'essais erronés : patientez {seconds} seconde(s) avant de réessayer."
                )
            else:
                form.add_error("code", "Code incorrect ou expiré.")
        return self._render(form, status=400 if form.errors else 200)

    def _render(self, form, status=200):
        context = {"form": form, "next": _next_url(self.request)}
        return render(self.request, self.template_name, context, status=status)


@method_decorator(second_factor_exempt, name="dispatch")
class EnrolmentView(View):
    """Reachable before the second factor (a privileged user's first login) but only while the
    user has no authenticator; replacing one needs a verified session."""

    template_name = "mfa/activation.html"

    def dispatch(self, request, *args, **kwargs):
        if services.authenticator(request.user) and not is_verified(request):
            return redirect(f"{resolve_url('mfa:verification')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(EnrolmentForm())

    def post(self, request):
        form = EnrolmentForm(request.POST)
        if form.is_valid():
            device = services.pending_authenticator(request.user)
            codes = services.confirm_enrolment(request, device, form.cleaned_data["code"])
            if codes is not None:
                request.session[CODES_SESSION_KEY] = codes
                messages.success(request, "Second facteur activé.")
                return redirect(f"{resolve_url('mfa:codes')}?{urlencode({'next': _next_url(request)})}")
            form.add_error("code", "Code incorrect : vérifiez l'heure de votre téléphone et réessayez.")
        return self._render(form, status=400)

    def _render(self, form, status=200):
        device = services.pending_authenticator(self.request.user)
        context = {
            "form": form,
            "qr_svg": services.qr_svg(device),
            "secret": services.secret_of(device),
            "mandatory": requires_second_factor(self.request.user),
            "replacing": services.authenticator(self.request.user) is not None,
            "next": _next_url(self.request),
        }
        return render(self.request, self.template_name, context, status=status)


class RecoveryCodesView(View):
    """The codes just made, shown once: leaving this page with « J'ai conservé mes codes » forgets them."""

    def get(self, request):
        codes = request.session.get(CODES_SESSION_KEY)
        if not codes:
            messages.info(request, "Vos codes de secours ont déjà été affichés : régénérez-les si besoin.")
            return redirect("profile")
        context = {"codes": [services.format_recovery(c) for c in codes], "next": _next_url(request)}
        return render(request, "mfa/codes.html", context)

    def post(self, request):
        request.session.pop(CODES_SESSION_KEY, None)
        return redirect(_next_url(request))


@require_GET
def recovery_codes_text(request):
    codes = request.session.get(CODES_SESSION_KEY)
    if not codes:
        return redirect("mfa:codes")
    response = HttpResponse(
        services.recovery_text(request.user, codes), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="codes-de-secours.txt"'
    response["Cache-Control"] = "no-store"
    return response


class RegenerateView(View):
    def post(self, request):
        if services.authenticator(request.user) is None:
            return redirect("profile")
        request.session[CODES_SESSION_KEY] = services.regenerate_recovery_codes(request)
        messages.success(request, "Nouveaux codes de secours créés : les anciens ne fonctionnent plus.")
        return redirect("mfa:codes")


class DisableView(View):
    """Only for whom the second factor is optional; a current code is asked, so an open session
    left unattended is not enough to turn it off."""

    def get(self, request):
        return self._render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid() and not requires_second_factor(request.user):
            if services.check_code(request, form.cleaned_data["code"]).ok:
                services.remove_second_factor(request)
                messages.success(request, "Second facteur désactivé.")
                return redirect("profile")
            form.add_error("code", "Code incorrect ou expiré.")
        return self._render(form, status=400)

    def _render(self, form, status=200):
        if requires_second_factor(self.request.user) or services.authenticator(self.request.user) is None:
            return redirect("profile")
        return render(self.request, "mfa/desactivation.html", {"form": form}, status=status)
