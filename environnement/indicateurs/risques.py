"""Natural risks: CatNat decrees (GASPAR) by peril family, and hazards covered by an approved PPRN.

A decree is a ``cod_nat_catnat``; GASPAR repeats it once per peril it recognises, so the counts
are of distinct codes. A decree counts from the day it was published in the Journal officiel
(``dat_pub_jo``; the decree's own date when the publication is missing). Millésime of the CatNat
indicators: the year of the latest publication found in the stored decrees (the base's state).
"""

import re
from collections import defaultdict
from datetime import date

from django.db.models import Max, Q, Subquery
from django.db.models.functions import Coalesce

from observatoire.indicateurs.store import epci_of_communes, store

from ..enums import FamillePpr
from ..models import ArreteCatnat, PlanPrevention
from .base import COMMUNE, ensure

SOURCE = "Géorisques, base GASPAR (arrêtés de catastrophe naturelle, plans de prévention des risques)"
DEBUT_REGIME = date(1982, 1, 1)  # loi du 13 juillet 1982 : le régime CatNat et ses premiers arrêtés
DEPUIS_2000 = date(2000, 1, 1)

# Peril families, by the words of GASPAR's peril labels (lib_risque_jo), first match wins.
FAMILLES = {
    "secheresse": (
        "Sécheresse et retrait-gonflement des argiles",
        re.compile(r"s[ée]cheresse|r[ée]hydratation", re.I),
    ),
    "inondations": (
        "Inondations et coulées de boue",
        re.compile(r"inondation|coul[ée]e|crue|submersion|vagues|lave torrentielle|ruissellement", re.I),
    ),
    "mouvements-terrain": (
        "Mouvements de terrain",
        re.compile(r"mouvement|glissement|[ée]boulement|effondrement|affaissement|chute|[ée]rosion", re.I),
    ),
}
AUTRES = "autres"
LIBELLES_FAMILLES = {
    **{k: v[0] for k, v in FAMILLES.items()},
    AUTRES: "Autres périls (tempête, séisme, grêle…)",
}


def famille(lib_risque):
    for key, (_, pattern) in FAMILLES.items():
        if pattern.search(lib_risque or ""):
            return key
    return AUTRES


def catnat_rows(**filters):
    """The stored decree rows published since 1982 (``filters`` narrow them in the database), each
    annotated with ``published``: the Journal officiel's date, the decree's own when it is missing."""
    return (
        ArreteCatnat.objects.filter(**filters)
        .annotate(published=Coalesce("dat_pub_jo", "dat_pub_arrete"))
        .filter(published__gte=DEBUT_REGIME)
    )


def decrees(**filters):
    """[(commune id, decree code, publication date, family)] of the stored decrees since 1982.

    ``filters`` narrow the rows in the database (``commune=…``, ``commune__epci__isnull=False``);
    each distinct peril label is classified once."""
    familles, rows = {}, []
    for cid, code, published, lib in catnat_rows(**filters).values_list(
        "commune_id", "cod_nat_catnat", "published", "lib_risque_jo"
    ):
        if lib not in familles:
            familles[lib] = famille(lib)
        rows.append((cid, code, published, familles[lib]))
    return rows


def last_decree(commune):
    """(publication date, sorted peril labels) of the commune's latest decree since 1982, or None.

    Dated as the indicator ``catnat-dernier-arrete`` dates it (``catnat_rows``); one query."""
    latest = catnat_rows(commune=commune).order_by("-published").values("published")[:1]
    rows = list(
        catnat_rows(commune=commune)
        .filter(published=Subquery(latest))
        .values_list("published", "lib_risque_jo")
    )
    return (rows[0][0], sorted({lib for _, lib in rows})) if rows else None


def _count(rows, epci_of, year, keep):
    per_commune, per_epci = defaultdict(set), defaultdict(set)
    for cid, code, published, fam in rows:
        if keep(published, fam):
            per_commune[cid].add(code)
            if cid in epci_of:
                per_epci[epci_of[cid]].add(code)
    communes = {(cid, year): 0 for cid in epci_of} | {(cid, year): len(c) for cid, c in per_commune.items()}
    epcis = {(eid, year): 0 for eid in set(epci_of.values())} | {
        (eid, year): len(c) for eid, c in per_epci.items()
    }
    return communes, epcis


CATNAT_METHODE = (
    "Nombre d'arrêtés distincts (code national CatNat) publiés au Journal officiel depuis {depuis}, "
    "quel que soit le nombre de périls reconnus par arrêté ; pour l'EPCI, arrêtés distincts de ses "
    "communes. Millésime : année de la dernière publication présente dans la base."
)
PAR_FAMILLE = (
    " Famille de péril d'après le libellé du péril (lib_risque_jo) : un arrêté reconnaissant deux "
    "familles compte dans chacune."
)


def recompute():
    rows = decrees()
    count = 0
    epci_of = epci_of_communes()
    year = max((published.year for _, _, published, _ in rows), default=None)
    specs = [
        ("catnat-arretes", "Arrêtés de catastrophe naturelle depuis 1982", "1982", "", lambda p, f: True),
        ("catnat-arretes-depuis-2000", "Arrêtés de catastrophe naturelle depuis 2000", "2000", "",
         lambda p, f: p >= DEPUIS_2000),
    ] + [
        (f"catnat-{key}", f"Arrêtés CatNat depuis 1982 : {libelle.lower()}", "1982", PAR_FAMILLE,
         lambda p, f, key=key: f == key)
        for key, libelle in LIBELLES_FAMILLES.items()
    ]  # fmt: skip
    for code, libelle, depuis, note, keep in specs:
        indicateur = ensure(
            code,
            rubrique="risques",
            libelle=libelle,
            unite="arrêtés",
            definition="Arrêtés interministériels portant reconnaissance de l'état de catastrophe naturelle "
            f"(régime CatNat) pour la commune, publiés depuis {depuis}.",
            methode=CATNAT_METHODE.format(depuis=depuis) + note,
            source=SOURCE,
        )
        communes, epcis = _count(rows, epci_of, year, keep) if year else ({}, {})
        count += store(indicateur, communes, epcis)
    count += _derniere_annee(rows, epci_of, year)
    return count + _pprn()


def _derniere_annee(rows, epci_of, year):
    indicateur = ensure(
        "catnat-dernier-arrete",
        rubrique="risques",
        libelle="Année du dernier arrêté de catastrophe naturelle",
        unite="année",
        definition="Année de publication au Journal officiel du plus récent arrêté CatNat de la commune.",
        methode="Année la plus récente de dat_pub_jo (à défaut dat_pub_arrete) ; pour l'EPCI, la plus "
        "récente de ses communes. Sans valeur pour une commune jamais reconnue depuis 1982.",
        source=SOURCE,
    )
    communes, epcis = {}, {}
    for cid, _, published, _ in rows:
        communes[(cid, year)] = max(communes.get((cid, year), 0), published.year)
        if cid in epci_of:
            key = (epci_of[cid], year)
            epcis[key] = max(epcis.get(key, 0), published.year)
    return store(indicateur, communes, epcis)


def approved_pprn(today=None):
    """PPRN rows in force: approved, and not abrogated (or abrogated only in the future)."""
    today = today or date.today()
    return PlanPrevention.objects.filter(famille=FamillePpr.PPRN, dat_approbation__isnull=False).filter(
        Q(dat_abrogation__isnull=True) | Q(dat_abrogation__gt=today)
    )


def _pprn():
    indicateur = ensure(
        "pprn-aleas-approuves",
        rubrique="risques",
        niveaux=COMMUNE,
        libelle="Aléas couverts par un PPRN approuvé",
        unite="aléas",
        definition="Nombre d'aléas naturels (inondation, mouvement de terrain, feu de forêt…) pour lesquels "
        "un plan de prévention des risques naturels approuvé et non abrogé couvre la commune.",
        methode="Codes d'aléa distincts (cod_risque) des PPRN ayant une date d'approbation et pas de date "
        "d'abrogation passée ; 0 pour une commune sans PPRN approuvé. Millésime : année de la date la "
        "plus récente de la base des PPR (prescription, approbation ou abrogation).",
        source=SOURCE,
    )
    dates = PlanPrevention.objects.aggregate(
        prescription=Max("dat_prescription"),
        approbation=Max("dat_approbation"),
        abrogation=Max("dat_abrogation"),
    )
    latest = [d for d in dates.values() if d]
    if not latest:
        return store(indicateur, {})
    year = max(latest).year
    aleas = defaultdict(set)
    for cid, risque in approved_pprn().values_list("commune_id", "cod_risque"):
        aleas[cid].add(risque)
    communes = {(cid, year): 0 for cid in epci_of_communes()} | {
        (cid, year): len(a) for cid, a in aleas.items()
    }
    return store(indicateur, communes)
