"""The opinion form on the tracking page (reached by token, like the page itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator

from ..models import Signalement
from ..views import SuiviView
from . import services
from .forms import AvisForm


@method_decorator(login_not_required, name="dispatch")
class AvisView(SuiviView):
    http_method_names = ["post"]

    def post(self, request, token):
        report = get_object_or_404(Signalement, token=token)
        form = AvisForm(request.POST)
        if not form.is_valid():
            context = self.get_context_data(token=token, avis_form=form)
            return self.render_to_response(context, status=400)
        try:
            outcome = services.record(report, token=token, user=request.user, **form.cleaned_data)
        except services.AvisError as error:
            messages.error(request, str(error))
            return redirect(report.get_tracking_url())
        if outcome.reopened:
            messages.success(
                request, "Merci pour votre avis : le signalement est rouvert et va être réexaminé."
            )
        elif outcome.reopen_refused:
            messages.warning(
                request,
                f"Merci, votre avis est enregistré. {outcome.reopen_refused} "
                "Si le problème est toujours là, déposez un nouveau signalement.",
            )
        else:
            messages.success(request, "Merci pour votre avis.")
        return redirect(report.get_tracking_url() + "#avis")
