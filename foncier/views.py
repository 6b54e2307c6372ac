"""Foncier pages (gisements map, ZAN trajectory) and their GeoJSON/JSON API, served in EPSG:4326.

The gisements inventory is a restricted dataset of the catalogue: its views go through the row
gate (``serves_rows``), which lets in only those the catalogue admits and logs their fetches.
"""

import json

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.contrib.gis.db.models import MultiPolygonField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Count, F, Func, Sum, Value
from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.generic import TemplateView

from gouvernance.gate import serves_rows
from observatoire.core.maps import map_context, tilejson_path
from observatoire.territoires.forms import TerritoireForm

from . import consommation_graphiques as graphiques
from .dvf_carte import DvfCarteView
from .models import Gisement, TypeGisement, TypeZone, ZonePlu
from .models.gisements import ZONES_AU
from .zan import destinations_of, flux_of, trajectoire

SIMPLIFY_METRES = 3
GISEMENT_FIELDS = [
    "nom",
    "type",
    "surface_m2",
    "potentiel_logements",
    "statut",
    "echeance",
    "insee",
    "commune_nom",
]
ZONE_PROPERTIES = [
    "idurba",
    "libelle",
    "libelong",
    "typezone",
    "insee",
    "commune_nom",
    "surface_m2",
    "datappro",
]


class GisementsForm(TerritoireForm):
    type = forms.ChoiceField(
        label="Type de gisement", choices=[("", "Tous les types"), *TypeGisement.choices], required=False
    )


def _filtered(form):
    """(gisements, zones AU) for a valid filter form; everything when the form is invalid."""
    gisements, zones = Gisement.objects.all(), ZonePlu.objects.a_urbaniser()
    values = form.cleaned_data if form.is_valid() else {}
    if values.get("commune"):
        gisements = gisements.filter(commune=values["commune"])
        zones = zones.filter(commune=values["commune"])
    if values.get("type"):
        gisements = gisements.filter(type=values["type"])
    return gisements, zones


@method_decorator(login_not_required, name="dispatch")  # the gate sends anonymous visitors to log in
@serves_rows("gisements-fonciers")
class GisementsView(TemplateView):
    template_name = "foncier/gisements.html"

    def get_context_data(self, **kwargs):
        form = GisementsForm(self.request.GET or None)
        gisements, zones = _filtered(form)
        values = form.cleaned_data if form.is_valid() else {}
        params = urlencode({k: self.request.GET[k] for k in ("commune", "type") if values.get(k)})
        commune = values.get("commune")
        labels = dict(TypeGisement.choices)
        par_type = [
            {**row, "libelle": labels[row["type"]]}
            for row in gisements.values("type")
            .annotate(nombre=Count("id"), surface=Sum("surface_m2"), logements=Sum("potentiel_logements"))
            .order_by("type")
        ]
        return super().get_context_data(
            form=form,
            par_type=par_type,
            gisements=gisements.select_related("commune").defer("geom", "commune__geom"),
            zones=zones.select_related("commune")
            .defer("geom", "commune__geom")
            .order_by("commune__nom", "libelle"),
            commune=commune,
            gisements_url=reverse("foncier-api:gisements-geojson") + (f"?{params}" if params else ""),
            tuiles_zones=tilejson_path("zones-plui"),
            communes_url=reverse("territoires-api:communes-geojson") + "?simplify=30",
            **map_context(),
            **kwargs,
        )


def _bad_request(form):
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    return JsonResponse({"detail": "Paramètre invalide.", "erreurs": errors}, status=400)


def _feature_collection(rows, properties):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["ident"],
                "geometry": json.loads(row["geojson"]),
                "properties": {name: row[name] for name in properties},
            }
            for row in rows
        ],
    }


def _geojson(geom_field, simplify=0):
    geom = F(geom_field)
    if simplify:
        geom = Func(
            geom, Value(simplify), function="ST_SimplifyPreserveTopology", output_field=MultiPolygonField()
        )
    return AsGeoJSON(Transform(geom, 4326), precision=6)


@login_not_required
@serves_rows("gisements-fonciers", api=True, format="geojson")
def gisements_geojson(request):
    """Gisements as GeoJSON (EPSG:4326), filtered by ``commune`` (INSEE) and ``type``."""
    form = GisementsForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    gisements, _ = _filtered(form)
    labels, statuts = dict(TypeGisement.choices), dict(Gisement._meta.get_field("statut").choices)
    rows = gisements.annotate(
        ident=F("id_gisement"),
        geojson=_geojson("geom"),
        insee=F("commune__insee"),
        commune_nom=F("commune__nom"),
    ).values("ident", "geojson", *GISEMENT_FIELDS)
    rows = [{**r, "type_libelle": labels[r["type"]], "statut_libelle": statuts[r["statut"]]} for r in rows]
    properties = ["ident", *GISEMENT_FIELDS, "type_libelle", "statut_libelle"]
    return JsonResponse(_feature_collection(rows, properties), content_type="application/geo+json")


@login_not_required
def zones_geojson(request):
    """Zones of the PLU(i) as GeoJSON (EPSG:4326): AU zones unless ``typezone`` names others (U,AUc…)."""
    form = TerritoireForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    wanted = [t for t in request.GET.get("typezone", "").split(",") if t] or list(ZONES_AU)
    unknown = [t for t in wanted if t not in TypeZone.values]
    if unknown:
        return JsonResponse({"detail": f"Type de zone inconnu : {', '.join(unknown)}."}, status=400)
    zones = ZonePlu.objects.filter(typezone__in=wanted)
    if form.cleaned_data["commune"]:
        zones = zones.filter(commune=form.cleaned_data["commune"])
    rows = zones.annotate(
        ident=F("pk"), geojson=_geojson("geom", SIMPLIFY_METRES), commune_nom=F("commune__nom")
    ).values("ident", "geojson", *ZONE_PROPERTIES, "urlfic")
    properties = [*ZONE_PROPERTIES, "urlfic"]
    return JsonResponse(_feature_collection(rows, properties), content_type="application/geo+json")


def _summary(t):
    return {
        "reference_2011_2021_ha": round(t.reference_ha, 2),
        "enveloppe_2021_2031_ha": round(t.enveloppe_ha, 2),
        "consomme_depuis_2021_ha": round(t.consomme_ha, 2),
        "restant_ha": round(t.restant_ha, 2),
        "part_consommee_pct": None if t.part_consommee is None else round(100 * t.part_consommee, 1),
        "moyenne_reference_ha_an": round(t.moyenne_reference, 2),
        "rythme_cible_ha_an": round(t.rythme_cible, 2),
        "rythme_restant_ha_an": None if t.rythme_restant is None else round(t.rythme_restant, 2),
        "derniere_annee": t.derniere_annee,
    }


@login_not_required
def zan_api(request):
    """ZAN trajectory of the metropolis or of one commune (``commune=INSEE``)."""
    form = TerritoireForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    commune, epci, nom = form.territoire()
    t = trajectoire(flux_of(commune=commune, epci=epci))
    return JsonResponse(
        {
            "territoire": commune.insee if commune else (epci.siren if epci else None),
            "nom": nom,
            **_summary(t),
            "flux_ha": [{"annee": y, "consommation_ha": round(v, 4)} for y, v in t.flux.items()],
        }
    )


@method_decorator(login_not_required, name="dispatch")
class ZanView(TemplateView):
    template_name = "foncier/zan.html"

    def get_context_data(self, **kwargs):
        form = TerritoireForm(self.request.GET or None)
        commune, epci, nom = form.territoire()
        t = trajectoire(flux_of(commune=commune, epci=epci))
        figures = {"annuel": graphiques.annual(t)} if t.flux else {}
        if t.flux and t.reference_complete:
            figures["cumul"] = graphiques.cumulative(t)
        return super().get_context_data(
            form=form,
            commune=commune,
            nom=nom,
            t=t,
            chiffres=_summary(t),
            lignes=destinations_of(commune=commune, epci=epci),
            figures=figures,
            voir_gisements=GisementsView.row_gate.allows(self.request.user),
            voir_dvf=DvfCarteView.row_gate.allows(self.request.user),
            **kwargs,
        )
