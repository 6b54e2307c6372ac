"""Values of indicators gathered for pages: by commune for a year, series over the years, key figures.

Queries are grouped (one per kind of data, never one per commune or per indicator) and the
results of the heavier ones are cached (see ``cache``): they change only with an import.
"""

from django.conf import settings
from django.db.models import Q

from observatoire.territoires.models import Commune, Epci

from .cache import cached
from .models import Valeur


def metropole():
    return Epci.objects.filter(siren=settings.METROPOLE_EPCI_SIREN).only("id", "siren", "nom").first()


def communes_of(epci):
    """[(id, insee, nom)] of the communes of the metropolis, by name (cached: they hardly move)."""
    if epci is None:
        return []
    return cached(
        "communes",
        [epci.pk],
        lambda: list(Commune.objects.filter(epci=epci).order_by("nom").values_list("id", "insee", "nom")),
    )


def evolution(valeur, precedent):
    """Relative change in %, or None when it means nothing (missing or zero reference)."""
    if valeur is None or precedent in (None, 0):
        return None
    return (valeur - precedent) / abs(precedent) * 100


def previous_year(years, year):
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None


def _indicator_key(indicateur):
    return [indicateur.pk, indicateur.updated_at.timestamp() if indicateur.updated_at else ""]


def millesimes(indicateur):
    """Years with at least one value, the latest first."""
    return published_years([indicateur])[indicateur.pk][::-1]


def snapshot(indicateur, millesime, epci):
    """Every commune's value for a year and the previous one, ranked, with the metropolis' series."""
    return cached(
        "snapshot",
        [*_indicator_key(indicateur), millesime, epci.pk if epci else ""],
        lambda: _snapshot(indicateur, millesime, epci),
    )


def _snapshot(indicateur, millesime, epci):
    years = millesimes(indicateur)
    precedent = previous_year(years, millesime)
    by_commune = {}
    for commune_id, year, valeur in Valeur.objects.filter(
        indicateur=indicateur, commune__epci=epci, millesime__in=[millesime, precedent or millesime]
    ).values_list("commune_id", "millesime", "valeur"):
        by_commune.setdefault(commune_id, {})[year] = valeur
    rows = []
    for commune_id, insee, nom in communes_of(epci):
        values = by_commune.get(commune_id, {})
        valeur, avant = values.get(millesime), values.get(precedent)
        rows.append(
            {
                "insee": insee,
                "nom": nom,
                "valeur": valeur,
                "precedent": avant,
            }
        )
    rank_rows(rows)
    serie = metropole_series(indicateur, epci)
    metro = dict(serie)
    return {
        "millesime": millesime,
        "precedent": precedent,
        "communes": rows,
        "metropole": {
            "valeur": metro.get(millesime),
            "precedent": metro.get(precedent),
        },
        "serie_metropole": serie,
    }


def rank_rows(rows):
    """Sort by value, highest first (no value last), with competition ranks (1, 2, 2, 4…)."""
    rows.sort(key=lambda row: (row["valeur"] is None, -(row["valeur"] or 0), row["nom"]))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row["valeur"] is None:
            row["rang"] = None
            continue
        if row["valeur"] != previous:
            rank, previous = position, row["valeur"]
        row["rang"] = rank
    return rows


def metropole_series(indicateur, epci):
    if epci is None:
        return []
    return list(
        Valeur.objects.filter(indicateur=indicateur, epci=epci, valeur__isnull=False)
        .order_by("millesime")
        .values_list("millesime", "valeur")
    )


def commune_series(indicateur, commune_id):
    return cached(
        "serie-commune",
        [*_indicator_key(indicateur), commune_id],
        lambda: list(
            Valeur.objects.filter(indicateur=indicateur, commune_id=commune_id, valeur__isnull=False)
            .order_by("millesime")
            .values_list("millesime", "valeur")
        ),
    )


def series_by_territory(indicateurs, epci, commune_ids=(), *, empty=False):
    """{indicator id: {"metropole" or commune id: [(year, value)]}} in one query.

    With ``empty``, the values stored empty (not published: statistical secrecy) come as None.
    """
    where = Q(epci=epci) if epci else Q(pk__in=[])
    if commune_ids:
        where |= Q(commune_id__in=commune_ids)
    if not empty:
        where &= Q(valeur__isnull=False)
    series = {indicateur.pk: {} for indicateur in indicateurs}
    rows = (
        Valeur.objects.filter(where, indicateur__in=indicateurs)
        .order_by("millesime")
        .values_list("indicateur_id", "commune_id", "millesime", "valeur")
    )
    for indicateur_id, commune_id, year, valeur in rows:
        series[indicateur_id].setdefault(commune_id or "metropole", []).append((year, valeur))
    return series


def published_years(indicateurs):
    """{indicator id: [years with at least one value, for any territory]}, oldest first (cached)."""
    key = [part for indicateur in indicateurs for part in _indicator_key(indicateur)]
    return cached("millesimes-publies", key, lambda: _published_years(indicateurs))


def _published_years(indicateurs):
    years = {indicateur.pk: [] for indicateur in indicateurs}
    rows = (
        Valeur.objects.filter(indicateur__in=indicateurs, valeur__isnull=False)
        .order_by("indicateur_id", "millesime")
        .values_list("indicateur_id", "millesime")
        .distinct()
    )
    for indicateur_id, year in rows:
        years[indicateur_id].append(year)
    return years


def figure_for_year(serie, years, millesime=None):
    """A territory's figure for the indicator's latest millésime up to ``millesime``.

    ``serie`` is the territory's [(year, value)] with the values stored empty as None; ``years``
    the millésimes the indicator has been published for. The figure is never silently taken
    from an older year than the indicator's: when the territory has no value for that year,
    ``absence`` says why instead of a bare dash; ``non_publie`` says when the year asked for
    is not out yet (the figure is then the latest published one, with its year).
    """
    shown = max((year for year in years if millesime is None or year <= millesime), default=None)
    values = dict(serie)
    valeur = values.get(shown)
    earlier = [year for year, value in serie if value is not None and shown and year < shown]
    before = max(earlier, default=None)
    return {
        "millesime": shown,
        "valeur": valeur,
        "precedent_millesime": before,
        "precedent": values.get(before),
        "evolution": evolution(valeur, values.get(before)),
        "absence": None if valeur is not None else absence(shown, years, values),
        "non_publie": f"{millesime} pas encore publié" if shown and millesime and shown < millesime else None,
    }


def absence(shown, years, values):
    """Why a territory has no figure, in French (the page shows this rather than a dash)."""
    if not years:
        return "pas encore de donnée"
    if shown is None:
        return f"pas de donnée avant {years[0]}"
    if shown in values:
        # Stored empty by the import: the producer does not publish it (too few cases).
        return "non diffusé : secret statistique"
    return "non concerné : pas de valeur pour ce territoire"


def key_figures(indicateurs, epci, millesime=None, commune_id=None):
    """Cards: each indicator's value for the metropolis (or a commune), its year and its evolution."""
    series = series_by_territory(indicateurs, epci, [commune_id] if commune_id else (), empty=True)
    years = published_years(indicateurs)
    cards = []
    for indicateur in indicateurs:
        own = series[indicateur.pk]
        card = figure_for_year(own.get(commune_id or "metropole", []), years[indicateur.pk], millesime)
        card["indicateur"] = indicateur
        card["metropole"] = dict(own.get("metropole", [])).get(card["millesime"]) if commune_id else None
        cards.append(card)
    return cards
