"""Mobility indicators per commune and EPCI, recomputed from the stored rows after each import."""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, Sum

from observatoire.indicateurs.models import Indicateur, Niveau, Valeur

from .models import Flux, ModesTransport, Reseau

RADIUS_METRES = 500
NIVEAUX = [Niveau.COMMUNE, Niveau.EPCI]

DESSERTE = "population-desservie-tc"
FLUX = {
    "actifs-travaillant-commune-residence": (
        "Actifs travaillant dans leur commune de résidence",
        "Part des actifs occupés de 15 ans ou plus résidant dans la commune qui y travaillent.",
    ),
    "actifs-travaillant-autre-commune-metropole": (
        "Actifs travaillant dans une autre commune de la métropole",
        "Part des actifs occupés de 15 ans ou plus résidant dans la commune qui travaillent dans "
        "une autre commune de la métropole.",
    ),
}
MODES = {
    "part-modale-voiture": ("voiture", "Part modale de la voiture", "voiture, camion ou fourgonnette"),
    "part-modale-transports-en-commun": (
        "transports_en_commun", "Part modale des transports en commun", "transports en commun"),
    "part-modale-velo": ("velo", "Part modale du vélo", "vélo (y compris à assistance électrique)"),
    "part-modale-marche": ("marche", "Part modale de la marche", "marche à pied (ou rollers, patinette)"),
}  # fmt: skip
MODE_METHODE = "Rapporté aux actifs occupés ayant déclaré un mode (y compris « pas de transport »)."
MODE_SOURCE = "Insee, recensement, base emploi et population active (exploitation complémentaire)"
MODE_FIELDS = [
    "pas_de_transport",
    "marche",
    "velo",
    "deux_roues_motorises",
    "voiture",
    "transports_en_commun",
]


def seuil():
    return settings.MOBILITE_SEUIL_PASSAGES


def ensure_indicateurs():
    n = seuil()
    Indicateur.objects.ensure(
        DESSERTE,
        observatoire="mobilite",
        rubrique="offre-transport",
        libelle="Population à moins de 500 m d'un arrêt bien desservi",
        unite="%",
        definition=(
            f"Part des habitants vivant à moins de {RADIUS_METRES} m d'un arrêt de transport en commun "
            f"desservi au moins {n} fois un jour de semaine."
        ),
        methode=(
            "Carreaux de 200 m de l'Insee (Filosofi) dont le centre est à moins de 500 m d'un arrêt ; "
            "passages comptés le mardi le plus chargé de la période de validité du flux GTFS. "
            "Millésime : année de ce jour type."
        ),
        source="Flux GTFS des réseaux ; Insee, Filosofi, population carroyée à 200 m",
        niveaux=NIVEAUX,
    )
    for code, (libelle, definition) in FLUX.items():
        Indicateur.objects.ensure(
            code, observatoire="mobilite", rubrique="domicile-travail", libelle=libelle, unite="%",
            definition=definition, methode="Flux domicile-travail ; arrondissements de Marseille regroupés.",
            source="Insee, recensement de la population, mobilités professionnelles", niveaux=NIVEAUX,
        )  # fmt: skip
    for code, (_, libelle, mode) in MODES.items():
        Indicateur.objects.ensure(
            code, observatoire="mobilite", rubrique="domicile-travail", libelle=libelle, unite="%",
            definition=f"Part des actifs occupés de 15 ans ou plus se rendant au travail surtout en {mode}.",
            methode=MODE_METHODE, source=MODE_SOURCE,
            niveaux=NIVEAUX,
        )  # fmt: skip


def _save(code, shares):
    """shares: {("commune"|"epci", id, millésime): (part, total)} → values in % and latest millésime."""
    indicateur = Indicateur.objects.get(code=code)
    values = [
        Valeur(indicateur=indicateur, millesime=year, valeur=round(100 * part / total, 2),
               **{f"{level}_id": pk})
        for (level, pk, year), (part, total) in shares.items()
        if total
    ]  # fmt: skip
    Valeur.objects.upsert(values)
    Indicateur.objects.filter(pk=indicateur.pk).refresh_dernier_millesime()
    return len(values)


def _add(shares, rows):
    """Rows of (commune id, epci id, millésime, part, total), added up for the EPCI too."""
    for commune, epci, year, part, total in rows:
        shares[("commune", commune, year)] = (part or 0, total or 0)
        if epci is not None:
            before = shares.get(("epci", epci, year), (0, 0))
            shares[("epci", epci, year)] = (before[0] + (part or 0), before[1] + (total or 0))
    return shares


def desserte_rows(threshold, radius=RADIUS_METRES):
    """(commune, epci, population near a served stop, population of the cells) from PostGIS."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.commune_id, c.epci_id, SUM(s.population) FILTER (WHERE s.desservi), SUM(s.population)
            FROM (
                SELECT k.commune_id, k.population, EXISTS (
                    SELECT 1 FROM mobilite_arret a
                    WHERE a.passages >= %(seuil)s AND ST_DWithin(a.geom, k.centre, %(rayon)s)
                ) AS desservi
                FROM mobilite_carreau k
            ) s
            JOIN territoires_commune c ON c.id = s.commune_id
            GROUP BY s.commune_id, c.epci_id
            """,
            {"seuil": threshold, "rayon": radius},
        )
        return cursor.fetchall()


def recompute_desserte():
    latest = Reseau.objects.order_by("-jour_type").values_list("jour_type", flat=True).first()
    if latest is None:
        return 0
    rows = [(c, e, latest.year, part, total) for c, e, part, total in desserte_rows(seuil())]
    return _save(DESSERTE, _add({}, rows))


def recompute_flux():
    count = 0
    base = Flux.objects.values("commune_id", "commune__epci_id", "millesime")
    for code, same in zip(FLUX, (True, False), strict=True):
        within = Q(commune_travail_id=F("commune_id")) if same else (
            Q(commune_travail__isnull=False) & ~Q(commune_travail_id=F("commune_id"))
        )  # fmt: skip
        rows = base.annotate(part=Sum("actifs", filter=within), total=Sum("actifs"))
        count += _save(code, _add({}, [
            (r["commune_id"], r["commune__epci_id"], r["millesime"], r["part"], r["total"]) for r in rows
        ]))  # fmt: skip
    return count


def recompute_modes():
    count = 0
    rows = ModesTransport.objects.values("commune_id", "commune__epci_id", "millesime", *MODE_FIELDS)
    for code, (field, _, _) in MODES.items():
        shares = _add({}, [
            (r["commune_id"], r["commune__epci_id"], r["millesime"], r[field], sum(r[f] for f in MODE_FIELDS))
            for r in rows
        ])  # fmt: skip
        count += _save(code, shares)
    return count


@transaction.atomic
def recompute():
    """Every mobility indicator from the stored rows (idempotent upserts); returns values written."""
    ensure_indicateurs()
    return recompute_desserte() + recompute_flux() + recompute_modes()
