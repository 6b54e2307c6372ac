"""Public governance pages, and the register and committee pages for the people who keep them."""

from itertools import groupby

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import exports
from .acces_views import reads_catalogue
from .models import (
    Algorithme,
    Comite,
    Designation,
    DocumentGouvernance,
    HistoriqueDocument,
    Partenariat,
    Reunion,
    Traitement,
    VersionDocument,
)
from .models.documents import StatutDocument, Visibilite, can_read_internal
from .models.registre import can_read_register
from .models.roles import MISSIONS, Fonction

_VERSIONS = Prefetch("versions", queryset=VersionDocument.objects.order_by("-numero"))


@login_not_required
def index(request):
    documents = (
        DocumentGouvernance.objects.filter(visibilite=Visibilite.PUBLIC)
        .select_related("organisation")
        .prefetch_related(_VERSIONS)
    )
    designations = Designation.objects.current().select_related("personne").order_by("fonction", "delegue")
    by_function = {key: list(rows) for key, rows in groupby(designations, key=lambda d: d.fonction)}
    fonctions = [
        {"label": f.label, "mission": MISSIONS[f], "designations": by_function.get(f.value, [])}
        for f in Fonction
    ]
    in_force = Q(organisation__conventions__status=StatutDocument.EN_VIGUEUR)
    partenaires = (
        Partenariat.objects.filter(public=True)
        .select_related("organisation")
        .annotate(conventions_en_vigueur=Count("organisation__conventions", filter=in_force))
    )
    comite = Comite.objects.order_by("pk").first()
    user = request.user
    return render(
        request,
        "gouvernance/index.html",
        {
            "documents": documents,
            "fonctions": fonctions,
            "partenaires": partenaires,
            "comite": comite,
            "prochaine_reunion": comite.next_meeting() if comite else None,
            "nb_algorithmes": Algorithme.objects.filter(public=True).count(),
            "voir_registre": can_read_register(user),
            "voir_comites": Comite.objects.visible_to(user).exists(),
            "voir_catalogue": reads_catalogue(user),
        },
    )


def _visible_document(request, slug):
    queryset = DocumentGouvernance.objects.visible_to(request.user)
    # Internal documents answer 404 to those who may not read them: their existence is internal too.
    return get_object_or_404(queryset.select_related("organisation"), slug=slug)


@login_not_required
def document(request, slug):
    doc = _visible_document(request, slug)
    historique = HistoriqueDocument.objects.filter(document=doc).only("at", "from_status", "to_status")
    return render(
        request,
        "gouvernance/document.html",
        {
            "document": doc,
            "principes": doc.principes.all(),
            "versions": doc.versions.order_by("-numero"),
            "historique": historique,
            "interne": doc.visibilite == Visibilite.INTERNE,
        },
    )


@login_not_required
def version(request, slug, numero=None):
    """The PDF of a version (the latest without a number), under the visibility of its document."""
    doc = _visible_document(request, slug)
    versions = doc.versions.order_by("-numero")
    found = versions.filter(numero=numero).first() if numero else versions.first()
    if found is None:
        raise Http404
    return FileResponse(
        found.fichier.open("rb"), content_type="application/pdf", filename=found.download_name
    )


@login_not_required
def algorithmes(request):
    return render(
        request,
        "gouvernance/algorithmes.html",
        {"algorithmes": Algorithme.objects.filter(public=True)},
    )


def _register_reader(request):
    if not can_read_register(request.user):
        raise PermissionDenied


def _register():
    return Traitement.objects.filter(actif=True).prefetch_related("destinataires_organisations", "jeux")


def registre(request):
    _register_reader(request)
    return render(
        request,
        "gouvernance/registre.html",
        {"traitements": _register(), "inactifs": Traitement.objects.filter(actif=False).count()},
    )


def traitement(request, code):
    _register_reader(request)
    return render(
        request, "gouvernance/traitement.html", {"traitement": get_object_or_404(_register(), code=code)}
    )


def registre_export(request, fmt):
    _register_reader(request)
    day = timezone.localdate()
    if fmt == "csv":
        body, content_type = exports.register_csv(_register()), "text/csv; charset=utf-8"
    elif fmt == "pdf":
        body, content_type = exports.register_pdf(_register()), "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="registre-traitements-{day:%Y-%m-%d}.{fmt}"'
    return response


def traitement_pdf(request, code):
    _register_reader(request)
    found = get_object_or_404(_register(), code=code)
    response = HttpResponse(exports.register_pdf([found], title=found.nom), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="traitement-{found.code}.pdf"'
    return response


def comites(request):
    visible = list(Comite.objects.visible_to(request.user).prefetch_related("membres"))
    if not visible and not can_read_internal(request.user):
        raise PermissionDenied
    for comite in visible:
        comite.prochaine = comite.next_meeting()
        comite.liste_reunions = comite.reunions.prefetch_related("participants")
    return render(request, "gouvernance/comites.html", {"comites": visible})


def compte_rendu(request, pk):
    reunion = get_object_or_404(Reunion.objects.select_related("comite"), pk=pk)
    if not Comite.objects.visible_to(request.user).filter(pk=reunion.comite_id).exists():
        raise PermissionDenied
    if not reunion.compte_rendu:
        raise Http404
    return FileResponse(
        reunion.compte_rendu.open("rb"),
        content_type="application/pdf",
        filename=f"compte-rendu-{reunion.date:%Y-%m-%d}.pdf",
    )
