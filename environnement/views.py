"""Environnement pages: the dashboard for élus, the risk map, the natural-areas map, their GeoJSON API.

All public: the data are open (Géorisques, AtmoSud, INPN, Cerema). Every chart and map has its
table; the figures are plain dictionaries in the portal's chart look (observatoire.indicateurs.charts),
drawn by plotly.js from JSON (no inline script, CSP).
"""

import json
from collections import defaultdict

from django.contrib.auth.decorators import login_not_required
from django.contrib.gis.db.models import MultiPolygonField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import F, Func, Value
from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.core.maps import map_context
from observatoire.indicateurs.charts import axis, layout
from observatoire.indicateurs.models import Valeur
from observatoire.territoires.forms import TerritoireForm
from observatoire.territoires.models import Commune

from .enums import TypeEspace
from .indicateurs.air import PAR_POLLUANT, dominant
from .indicateurs.risques import LIBELLES_FAMILLES, approved_pprn, decrees
from .models import CouvertureCommune, EspaceNaturel

SIMPLIFY_METRES = 20
# Okabe-Ito: told apart with the common colour-vision deficiencies.
COULEURS_FAMILLES = {"inondations": "#0072b2", "secheresse": "#e69f00", "mouvements-terrain": "#8a6100",
                     "autres": "#6b7280"}  # fmt: skip
CATNAT = "catnat-arretes"  # the risk map's indicator
JOURS_DEGRADES = "atmo-jours-degrade"
CONSOMMATION = "conso-enaf-annuelle"  # foncier's indicator (foncier/consommation_indicateurs.py)
PART_ZAN = "part-enveloppe-zan-consommee"


def catnat_par_annee(commune=None):
    """[{"annee", familles: {family: decrees}, "total"}] of the territory, one row per year of publication."""
    territoire = {"commune": commune} if commune else {"commune__epci__isnull": False}
    per_year, totals = defaultdict(lambda: defaultdict(set)), defaultdict(set)
    for _, code, published, fam in decrees(**territoire):
        per_year[published.year][fam].add(code)
        totals[published.year].add(code)
    return [
        {"annee": y, "familles": [len(per_year[y][f]) for f in LIBELLES_FAMILLES], "total": len(totals[y])}
        for y in sorted(per_year)
    ]


def _catnat_figure(lignes):
    top = max((sum(ligne["familles"]) for ligne in lignes), default=0)
    return {
        "data": [
            {
                "type": "bar",
                "name": libelle,
                "x": [ligne["annee"] for ligne in lignes],
                "y": [ligne["familles"][i] for ligne in lignes],
                "marker": {"color": COULEURS_FAMILLES[key]},
                "hovertemplate": "%{x} : %{y} arrêté(s)<extra>" + libelle + "</extra>",
            }
            for i, (key, libelle) in enumerate(LIBELLES_FAMILLES.items())
        ],
        "layout": layout(
            height=380,
            barmode="stack",
            xaxis=axis(),
            # Whole decrees, at most about eight ticks.
            yaxis=axis("Arrêtés publiés dans l'année", rangemode="tozero", dtick=max(1, -(-top // 8))),
        ),
    }


def _values(code, commune=None, epci=None, **filters):
    qs = Valeur.objects.filter(indicateur__code=code, **filters)
    if commune:
        qs = qs.filter(commune=commune)
    elif epci:
        qs = qs.filter(epci=epci)
    return qs


def air_par_annee(commune=None):
    """Degraded days per year: the commune's, or the communes' mean and maximum, and the main pollutant."""
    rows = Valeur.objects.filter(indicateur__code__startswith=JOURS_DEGRADES, commune__isnull=False)
    if commune:
        rows = rows.filter(commune=commune)
    per_year, polluants = defaultdict(list), defaultdict(lambda: defaultdict(float))
    for code, annee, valeur, nom in rows.values_list(
        "indicateur__code", "millesime", "valeur", "commune__nom"
    ):
        if code == JOURS_DEGRADES:
            per_year[annee].append((valeur, nom))
        elif code.startswith(PAR_POLLUANT):
            polluants[annee][code.removeprefix(PAR_POLLUANT)] += valeur or 0
    lignes = []
    for annee in sorted(per_year):
        values = per_year[annee]
        top = max(values)
        principal = dominant(polluants[annee])
        lignes.append(
            {
                "annee": annee,
                "communes": len(values),
                "moyenne": sum(v for v, _ in values) / len(values),
                "max": top[0],
                "max_commune": top[1],
                "dominant": principal[1] if principal else "",
            }
        )
    return lignes


def _air_figure(lignes, commune):
    return {
        "data": [
            {
                "type": "bar",
                "name": "Jours « dégradé » ou pire" + ("" if commune else " (moyenne des communes)"),
                "x": [ligne["annee"] for ligne in lignes],
                "y": [round(ligne["moyenne"], 1) for ligne in lignes],
                "marker": {"color": "#d55e00"},
                "hovertemplate": "%{x} : %{y:,.1f} jours<extra></extra>",
            }
        ],
        # One series, named in the table's caption: no legend (plotly.js draws none for one trace).
        "layout": layout(
            height=380, legend=False, xaxis=axis(dtick=1), yaxis=axis("Jours par an", rangemode="tozero")
        ),
    }


def couverture_par_commune():
    """Per commune: shares (%) under any area, Natura 2000 and ZNIEFF (latest millésime of each)."""
    codes = {"part-espaces-naturels": "tous", "part-natura2000": "natura", "part-znieff": "znieff"}
    order = list(codes)
    rows = Valeur.objects.filter(
        indicateur__code__in=codes, millesime=F("indicateur__dernier_millesime")
    ).values_list("indicateur__code", "valeur", "millesime", "commune__nom", "commune__insee", "epci__nom")
    lignes = {}
    # In the order of ``codes``: a territory's millésime is that of the last of them it has.
    for code, valeur, millesime, commune, insee, epci in sorted(rows, key=lambda row: order.index(row[0])):
        nom = commune if commune is not None else epci
        ligne = lignes.setdefault((commune is None, nom), {"nom": nom, "epci": commune is None})
        ligne["insee"] = insee or ""
        ligne[codes[code]], ligne["millesime"] = valeur, millesime
    return [lignes[k] for k in sorted(lignes)]


def consommation(commune=None, epci=None):
    """Land consumption per year from foncier's indicators (hectares), and the share of the ZAN allowance."""
    lignes = [
        {"annee": v.millesime, "ha": v.valeur}
        for v in _values(CONSOMMATION, commune, epci).order_by("millesime")
    ]
    part = _values(PART_ZAN, commune, epci).order_by("-millesime").first()
    return lignes, part


@method_decorator(login_not_required, name="dispatch")
class TableauDeBordView(TemplateView):
    template_name = "environnement/tableau_de_bord.html"

    def get_context_data(self, **kwargs):
        form = TerritoireForm(self.request.GET or None)
        commune, epci, nom = form.territoire()
        catnat = catnat_par_annee(commune)
        air = air_par_annee(commune)
        conso, part_zan = consommation(commune, epci)
        figures = {}
        if catnat:
            figures["catnat"] = _catnat_figure(catnat)
        if air:
            figures["air"] = _air_figure(air, commune)
        return super().get_context_data(
            form=form,
            commune=commune,
            nom=nom,
            familles=list(LIBELLES_FAMILLES.values()),
            catnat=catnat,
            catnat_total=sum(ligne["total"] for ligne in catnat),
            air=air,
            couverture=couverture_par_commune(),
            consommation=conso,
            conso_derniere=conso[-1]["annee"] if conso else None,
            part_zan=part_zan,
            figures=figures,
            **kwargs,
        )


def risques_par_commune():
    """One row per commune: decrees since 1982 and 2000, the year of the last one, PPRN hazards (the
    latest millésime of each); and the millésime of the decree count (None before any import)."""
    codes = {
        CATNAT: "arretes",
        "catnat-arretes-depuis-2000": "depuis_2000",
        "catnat-dernier-arrete": "dernier",
        "pprn-aleas-approuves": "pprn",
    }
    lignes = {
        c.pk: {"nom": c.nom, "insee": c.insee}
        for c in Commune.objects.filter(epci__isnull=False).defer("geom").order_by("nom")
    }
    millesime = None
    for code, cid, valeur, annee in Valeur.objects.filter(
        indicateur__code__in=codes, commune__isnull=False, millesime=F("indicateur__dernier_millesime")
    ).values_list("indicateur__code", "commune_id", "valeur", "millesime"):
        millesime = annee if code == CATNAT else millesime
        if cid in lignes:
            lignes[cid][codes[code]] = valeur
    return list(lignes.values()), millesime


@method_decorator(login_not_required, name="dispatch")
class CarteRisquesView(TemplateView):
    template_name = "environnement/carte_risques.html"

    def get_context_data(self, **kwargs):
        communes, millesime = risques_par_commune()
        geojson_url = reverse("indicateurs-api:communes-geojson", kwargs={"code": CATNAT})
        pprn = (
            approved_pprn()
            .select_related("commune")
            .defer("commune__geom")
            .order_by("commune__nom", "lib_risque")
        )
        return super().get_context_data(
            millesime=millesime,
            geojson_url=f"{geojson_url}?millesime={millesime}&methode=quantiles&classes=5"
            if millesime
            else "",
            communes=communes,
            pprn=pprn,
            **map_context(),
            **kwargs,
        )


def _types():
    return [{"code": code, "libelle": libelle} for code, libelle in TypeEspace.choices]


@method_decorator(login_not_required, name="dispatch")
class CarteEspacesView(TemplateView):
    template_name = "environnement/carte_espaces.html"

    def get_context_data(self, **kwargs):
        labels = dict(TypeEspace.choices)
        par_type = defaultdict(dict)
        for c in CouvertureCommune.objects.exclude(type="").select_related("commune").defer("commune__geom"):
            par_type[(c.commune.nom, c.commune.insee)][c.type] = c.part
        return super().get_context_data(
            geojson_url=reverse("environnement-api:espaces-naturels-geojson"),
            types=_types(),
            couverture=couverture_par_commune(),
            par_type=[
                {"nom": nom, "insee": insee, "parts": [parts.get(code) for code, _ in TypeEspace.choices]}
                for (nom, insee), parts in sorted(par_type.items())
            ],
            espaces=[
                {**e, "type_libelle": labels[e["type"]]}
                for e in EspaceNaturel.objects.order_by("type", "nom").values(
                    "type", "identifiant", "nom", "millesime"
                )
            ],
            **map_context(),
            **kwargs,
        )


@login_not_required
def espaces_naturels_geojson(request):
    """The natural areas as GeoJSON (EPSG:4326, simplified to 20 m), all or one ``type``."""
    areas = EspaceNaturel.objects.all()
    wanted = request.GET.get("type")
    if wanted:
        if wanted not in TypeEspace.values:
            return JsonResponse({"detail": f"Type d'espace inconnu : {wanted}."}, status=400)
        areas = areas.filter(type=wanted)
    simplified = Func(
        F("geom"),
        Value(SIMPLIFY_METRES),
        function="ST_SimplifyPreserveTopology",
        output_field=MultiPolygonField(),
    )
    labels = dict(TypeEspace.choices)
    multi = Func(simplified, function="ST_Multi", output_field=MultiPolygonField())
    rows = areas.annotate(geojson=AsGeoJSON(Transform(multi, 4326), precision=5)).values(
        "identifiant", "type", "nom", "millesime", "geojson"
    )
    features = [
        {
            "type": "Feature",
            "id": f"{row['type']}-{row['identifiant']}",
            "geometry": json.loads(row["geojson"]),
            "properties": {
                "identifiant": row["identifiant"],
                "type": row["type"],
                "type_libelle": labels[row["type"]],
                "nom": row["nom"],
                "millesime": row["millesime"],
            },
        }
        for row in rows
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )
