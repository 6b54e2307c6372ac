"""Fiscalité pages: the élus' dashboard of rates and fiscal pressure, and its table as CSV/XLSX.

Public, like the indicators it reads (REI, OFGL and DGCL files are under the Licence Ouverte): an
indicator someone restricted in the admin drops out of the table for those who may not see it.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.indicateurs import exports

from .tableau import COLONNES, TRIS, Donnees

ORDRES = [("asc", "croissant"), ("desc", "décroissant")]


class TableauForm(forms.Form):
    annee = forms.TypedChoiceField(label="Année d'imposition", coerce=int, required=False)
    commune = forms.ChoiceField(label="Commune mise en évidence", required=False)
    taux = forms.ChoiceField(label="Graphique", required=False)
    tri = forms.ChoiceField(choices=[(t, t) for t in TRIS], required=False, widget=forms.HiddenInput)
    ordre = forms.ChoiceField(choices=ORDRES, required=False, widget=forms.HiddenInput)

    def __init__(self, data, donnees):
        super().__init__(data)
        self.fields["annee"].choices = [(y, str(y)) for y in donnees.annees]
        self.fields["commune"].choices = [("", "Aucune")] + [
            (insee, nom) for _, insee, nom in donnees.communes
        ]
        self.fields["taux"].choices = [(code, libelle) for code, libelle, _ in donnees.colonnes]

    def choix(self, donnees):
        """(year, commune (id, insee, nom) or None, column of the chart, sort, order) asked or by default."""
        data = self.cleaned_data if self.is_valid() else {}
        annee = data.get("annee") or (donnees.annees[0] if donnees.annees else None)
        commune = next((c for c in donnees.communes if c[1] == data.get("commune")), None)
        taux = data.get("taux") or (donnees.colonnes[0][0] if donnees.colonnes else None)
        return annee, commune, taux, data.get("tri") or "commune", data.get("ordre") or "asc"


def _state(request):
    donnees = Donnees(request.user)
    form = TableauForm(request.GET, donnees)
    return donnees, form, form.choix(donnees)


def _tri_links(params, colonnes, tri, ordre):
    """Per column heading: the query that sorts by it (the other way when it is the current sort)."""
    links = []
    for code in ["commune", *[c for c, *_ in colonnes]]:
        courant = code == tri
        suivant = "desc" if courant and ordre == "asc" else "asc"
        query = params.copy()
        query["tri"], query["ordre"] = code, suivant
        links.append(
            {
                "query": query.urlencode(),
                "courant": courant,
                "aria_sort": ("ascending" if ordre == "asc" else "descending") if courant else None,
                "suivant": dict(ORDRES)[suivant],
            }
        )
    return links


@method_decorator(login_not_required, name="dispatch")
class TableauDeBordView(TemplateView):
    template_name = "fiscalite/tableau_de_bord.html"

    def get_context_data(self, **kwargs):
        donnees, form, (annee, commune, taux, tri, ordre) = _state(self.request)
        context = {"form": form, "annee": annee, "commune": commune, "taux": taux, "donnees": donnees}
        if annee is None:
            return super().get_context_data(**context, **kwargs)
        table, communes = donnees.table(annee, tri, ordre)
        params = self.request.GET.copy()
        params["annee"] = annee
        evolutions = donnees.evolutions(commune)
        return super().get_context_data(
            **context,
            table=table,
            lignes=table.rows[:communes],
            resume=table.rows[communes:],
            tris=list(zip(table.headers[1:], _tri_links(params, donnees.colonnes, tri, ordre), strict=True)),
            query=params.urlencode(),
            evolutions=evolutions,
            figures={e["code"]: e["figure"] for e in evolutions if e["figure"]},
            colonnes=COLONNES,
            **kwargs,
        )


@login_not_required
def tableau_de_bord_export(request, fmt):
    """The dashboard's table, same rows and order, as CSV (semicolons, decimal comma) or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    donnees, _, (annee, _, _, tri, ordre) = _state(request)
    if annee is None:
        raise Http404("Aucune donnée fiscale importée.")
    table, _ = donnees.table(annee, tri, ordre)
    return exports.respond(table, fmt)
