"""Foncier indicators per commune and for the EPCI: land consumption and ZAN, floor area authorised.

Millésime of a cumulative indicator: the last year of flow it counts (2022 = flows of 2021 and
2022 for « depuis 2021 »; 2020 for the reference 2011–2021, whose last flow is 2020 → 2021).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Sum

from habitat.models import ConstructionAnnuelle
from observatoire.indicateurs.models import Indicateur, Niveau, Valeur
from observatoire.territoires.models import Commune

from .models import ConsommationEspace
from .zan import PERIODE, REFERENCE, trajectoire

CEREMA = "Cerema, portail de l'artificialisation des sols (fichiers fonciers)"
NIVEAUX = [Niveau.COMMUNE, Niveau.EPCI]
INDICATEURS = {
    "conso-enaf-annuelle": (
        "Consommation annuelle d'espaces naturels, agricoles et forestiers",
        "ha",
        "Surface d'espaces naturels, agricoles et forestiers (ENAF) artificialisée dans l'année.",
        "Flux du 1er janvier de l'année au 1er janvier suivant (colonnes nafAAartBB), en hectares.",
    ),
    "conso-enaf-2011-2021": (
        "Consommation d'ENAF 2011–2021 (référence ZAN)",
        "ha",
        "Surface d'ENAF consommée du 1er janvier 2011 au 1er janvier 2021 : la référence de la loi "
        "Climat et résilience.",
        "Somme des flux naf11art12 à naf20art21 ; millésime 2020 (dernier flux compté).",
    ),
    "conso-enaf-depuis-2021": (
        "Consommation d'ENAF depuis 2021",
        "ha",
        "Surface d'ENAF consommée depuis le 1er janvier 2021, à imputer sur l'enveloppe ZAN 2021–2031.",
        "Somme des flux depuis naf21art22 ; millésime : dernière année de flux comptée.",
    ),
    "part-enveloppe-zan-consommee": (
        "Part de l'enveloppe ZAN 2021–2031 consommée",
        "%",
        "Consommation d'ENAF depuis 2021 rapportée à l'enveloppe 2021–2031 (la moitié de la "
        "consommation 2011–2021).",
        "100 × consommation depuis 2021 / (50 % × consommation 2011–2021) ; vide si la référence est nulle.",
    ),
    "enveloppe-zan-restante": (
        "Enveloppe ZAN 2021–2031 restante",
        "ha",
        "Ce qu'il reste de l'enveloppe 2021–2031 (négatif : enveloppe dépassée).",
        "50 % × consommation 2011–2021 − consommation depuis 2021.",
    ),
}
SURFACE_PLANCHER = "surface-plancher-autorisee"


def ensure_indicateurs():
    for code, (libelle, unite, definition, methode) in INDICATEURS.items():
        Indicateur.objects.ensure(
            code,
            observatoire="foncier",
            rubrique="consommation-espace",
            libelle=libelle,
            unite=unite,
            definition=definition,
            methode=methode,
            source=CEREMA,
            niveaux=NIVEAUX,
        )
    Indicateur.objects.ensure(
        SURFACE_PLANCHER,
        observatoire="foncier",
        rubrique="urbanisme",
        libelle="Surface de plancher autorisée",
        unite="m²",
        definition="Surface de plancher des logements autorisés dans l'année (permis de construire).",
        methode="Somme des types de logement de la base Sitadel (SDP_AUT).",
        source="SDES, base Sitadel (logements autorisés par commune)",
        niveaux=NIVEAUX,
    )


def _zan_values(territory, flux):
    """(code, millésime, value) of the ZAN indicators for one territory's ``{year: ha}``."""
    t = trajectoire(flux)
    values = [("conso-enaf-annuelle", year, ha) for year, ha in t.flux.items()]
    if t.reference_complete:
        values.append(("conso-enaf-2011-2021", REFERENCE[-1], t.reference_ha))
    if t.reference_complete and t.derniere_annee and t.derniere_annee >= PERIODE[0]:
        part = None if t.part_consommee is None else 100 * t.part_consommee
        values += [
            ("conso-enaf-depuis-2021", t.derniere_annee, t.consomme_ha),
            ("part-enveloppe-zan-consommee", t.derniere_annee, part),
            ("enveloppe-zan-restante", t.derniere_annee, t.restant_ha),
        ]
    return [(territory, code, year, value) for code, year, value in values]


def _valeurs(indicateurs, rows):
    out = []
    for (level, pk), code, millesime, value in rows:
        territory = {"commune_id": pk} if level == "commune" else {"epci_id": pk}
        out.append(Valeur(indicateur=indicateurs[code], millesime=millesime, valeur=value, **territory))
    return out


@transaction.atomic
def recompute():
    """Recompute every foncier indicator from the stored rows (idempotent upserts); values written."""
    ensure_indicateurs()
    indicateurs = {i.code: i for i in Indicateur.objects.filter(code__in=[*INDICATEURS, SURFACE_PLANCHER])}
    per_commune, per_epci = defaultdict(dict), defaultdict(lambda: defaultdict(float))
    epci_of = dict(Commune.objects.filter(epci__isnull=False).values_list("id", "epci_id"))
    for commune_id, annee, ha in ConsommationEspace.objects.values_list("commune_id", "annee", "total_ha"):
        per_commune[commune_id][annee] = ha
        if commune_id in epci_of:
            per_epci[epci_of[commune_id]][annee] += ha
    rows = []
    for pk, flux in per_commune.items():
        rows += _zan_values(("commune", pk), flux)
    for pk, flux in per_epci.items():
        rows += _zan_values(("epci", pk), flux)
    surfaces = ConstructionAnnuelle.objects.values("commune_id", "annee").annotate(
        total=Sum("surface_autorisee")
    )
    for row in surfaces:
        rows.append((("commune", row["commune_id"]), SURFACE_PLANCHER, row["annee"], row["total"]))
    for row in (
        ConstructionAnnuelle.objects.filter(commune__epci__isnull=False)
        .values("commune__epci_id", "annee")
        .annotate(total=Sum("surface_autorisee"))
    ):
        rows.append((("epci", row["commune__epci_id"]), SURFACE_PLANCHER, row["annee"], row["total"]))
    count = Valeur.objects.upsert(_valeurs(indicateurs, rows))
    Indicateur.objects.filter(pk__in=[i.pk for i in indicateurs.values()]).refresh_dernier_millesime()
    return count
