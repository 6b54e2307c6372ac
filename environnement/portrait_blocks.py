"""« Environnement » in each commune's portrait: CatNat decrees and the last one, hazards covered by a
PPRN, degraded-air days of the last complete year and their pollutant, natural-area coverage and
emissions per inhabitant — the latest millésime of each, from the indicators this person may see.
Nothing is shown for a commune without any of them.
"""

from collections import defaultdict

from django.db.models import Q

from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.indicateurs.portrait_blocks import PortraitBlock, register

from .indicateurs.air import PAR_POLLUANT, dominant
from .indicateurs.risques import approved_pprn, last_decree

CODES = [
    "catnat-arretes",
    "catnat-arretes-depuis-2000",
    "catnat-dernier-arrete",
    "pprn-aleas-approuves",
    "atmo-jours-degrade",
    "atmo-part-jours-degrade",
    "part-espaces-naturels",
    "part-natura2000",
    "part-znieff",
    "emissions-nox-habitant",
    "emissions-pm25-habitant",
    "emissions-ges-habitant",
]


COUNTED = {"arrêtés", "aléas", "jours"}


def _unite(unite, valeur):
    """« 1 aléa », « 2 aléas »: the counted things in the singular for one."""
    return unite[:-1] if unite in COUNTED and valeur == 1 else unite


def context(commune, user):
    indicateurs = {i.code: i for i in Indicateur.objects.visible_to(user).filter(code__in=CODES)}
    if not indicateurs:
        return None
    latest, polluants = {}, defaultdict(dict)
    # The visible indicators' values and, in the same query, the days each pollutant was responsible.
    for code, year, valeur in (
        Valeur.objects.filter(commune=commune)
        .filter(
            Q(indicateur__in=indicateurs.values(), valeur__isnull=False)
            | Q(indicateur__code__startswith=PAR_POLLUANT)
        )
        .order_by("millesime")
        .values_list("indicateur__code", "millesime", "valeur")
    ):
        if code in indicateurs and valeur is not None:
            latest[code] = (year, valeur)
        elif code.startswith(PAR_POLLUANT):
            polluants[year][code.removeprefix(PAR_POLLUANT)] = valeur
    if not latest:
        return None
    lignes = [
        {
            "indicateur": indicateurs[code],
            "annee": latest[code][0],
            "valeur": latest[code][1],
            "unite": _unite(indicateurs[code].unite, latest[code][1]),
        }
        for code in CODES
        if code in latest
    ]
    contexte = {"lignes": lignes}
    if "catnat-dernier-arrete" in latest:
        last = last_decree(commune)
        contexte["dernier_arrete"] = {"date": last[0], "perils": last[1]} if last else None
    if "pprn-aleas-approuves" in latest:
        contexte["aleas"] = sorted(
            set(approved_pprn().filter(commune=commune).values_list("lib_risque", flat=True)) - {""}
        )
    if "atmo-jours-degrade" in latest:
        contexte["polluant"] = dominant(polluants[latest["atmo-jours-degrade"][0]])
    return contexte


register(
    PortraitBlock("environnement", "Environnement", "environnement/portrait_bloc.html", context, ordre=20)
)
