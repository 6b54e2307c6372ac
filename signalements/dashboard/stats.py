"""Dashboard figures: pure functions over a queryset of reports, returning plain data.

Every aggregation runs in PostgreSQL (one query per function); Python only reshapes the rows.

Statistics are grouped by category, service and territory, never by person: no function here
may group by an agent or by the author of a report (agents must not feel watched, and the
figures are about the public service, not about individuals).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Aggregate, Count, F, FilteredRelation, FloatField, Func, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..enums import OPEN_STATUSES, RejectionReason, Status
from ..models import Signalement

RESOLVED_STATUSES = (Status.RESOLU, Status.CLOS)
NO_SERVICE = "Service non désigné"
MONTHS_FR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


class Median(Aggregate):
    """percentile_cont(0.5): the median, which Django does not ship.

    A filter becomes ``FILTER (WHERE …)`` after the ordered-set clause, which PostgreSQL accepts.
    """

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """(end - start) in days, as a float: handling times and targets compare in the same unit."""

    arg_joiner = " - "
    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)::double precision"
    output_field = FloatField()


@dataclass(frozen=True)
class Period:
    """Whole calendar months up to today, so the monthly bars never start with a partial month."""

    months: int
    since: datetime
    now: datetime


def period(months, now=None):
    now = timezone.localtime(now or timezone.now())
    year, month = now.year, now.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    since = now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
    return Period(months=months, since=since, now=now)


def month_starts(p):
    """The first day of each month of the period, oldest first."""
    starts, year, month = [], p.since.year, p.since.month
    for _ in range(p.months):
        starts.append((year, month))
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return starts


def month_label(year, month):
    return f"{MONTHS_FR[month - 1]} {year}"


def scoped_reports(commune=None, categorie=None):
    """The reports a dashboard counts: spam is never a report; a commune or category narrows it."""
    reports = Signalement.objects.exclude(rejection_reason=RejectionReason.SPAM)
    if commune is not None:
        reports = reports.filter(commune=commune)
    if categorie is not None:
        reports = reports.filter(categorie=categorie)
    return reports


def with_delays(reports):
    """Annotate the target set by the commune for the category, and the handling time in days."""
    # A join on (commune, categorie), not a subquery per report: 2 s instead of 5 s at 1 M reports.
    return reports.annotate(
        cible=FilteredRelation(
            "commune__categories_signalement",
            condition=Q(commune__categories_signalement__categorie=F("categorie")),
        ),
        delai_cible=F("cible__delai_cible_jours"),
        duree_jours=DaysBetween("resolved_at", "created_at"),
    )


def resolved_in(p):
    """Resolved during the period and still resolved (a reopened report keeps its old date)."""
    return Q(status__in=RESOLVED_STATUSES, resolved_at__gte=p.since)


def _delay_aggregates(p):
    resolved = resolved_in(p)
    with_target = resolved & Q(delai_cible__isnull=False)
    return {
        "resolus": Count("pk", filter=resolved),
        "avec_cible": Count("pk", filter=with_target),
        "dans_delai": Count("pk", filter=with_target & Q(duree_jours__lte=F("delai_cible"))),
        "median_jours": Median("duree_jours", filter=resolved),
        # Targets differ between communes: the median target of the resolved reports.
        "cible_jours": Median("delai_cible", filter=with_target),
    }


def _share(part, whole):
    return part / whole if whole else None


def kpis(reports, p):
    """Headline numbers: filed in the period, open now, resolved, on time, median handling time."""
    row = with_delays(reports).aggregate(
        deposes=Count("pk", filter=Q(created_at__gte=p.since)),
        ouverts=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        **_delay_aggregates(p),
    )
    return {
        "deposes": row["deposes"],
        "ouverts": row["ouverts"],
        "resolus": row["resolus"],
        "avec_cible": row["avec_cible"],
        "dans_delai": row["dans_delai"],
        "part_dans_delai": _share(row["dans_delai"], row["avec_cible"]),
        "median_jours": row["median_jours"],
    }


def volumes_by_month(reports, p):
    """Reports filed per month and category: {"mois": [labels], "series": [{"nom", "valeurs"}]}."""
    rows = (
        reports.filter(created_at__gte=p.since)
        .annotate(mois=TruncMonth("created_at"))
        .values("mois", "categorie__nom", "categorie__ordre")
        .annotate(n=Count("pk"))
        .order_by("categorie__ordre", "categorie__nom")
    )
    starts = month_starts(p)
    index = {start: i for i, start in enumerate(starts)}
    series = {}
    for row in rows:
        mois = timezone.localtime(row["mois"])
        values = series.setdefault(row["categorie__nom"], [0] * len(starts))
        position = index.get((mois.year, mois.month))
        if position is not None:
            values[position] += row["n"]
    return {
        "mois": [month_label(*start) for start in starts],
        "series": [{"nom": nom, "valeurs": valeurs} for nom, valeurs in series.items()],
    }


def volumes_by_status(reports, p):
    """Reports filed in the period, by current status, in workflow order."""
    counts = dict(
        reports.filter(created_at__gte=p.since).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [
        {"status": status.value, "label": status.label, "n": counts[status.value]}
        for status in Status
        if counts.get(status.value)
    ]


def delays_by_category(reports, p):
    """Median handling time and target per category, for reports resolved in the period."""
    rows = (
        with_delays(reports)
        .values("categorie__nom", "categorie__ordre")
        .annotate(**_delay_aggregates(p))
        .filter(resolus__gt=0)
        .order_by("categorie__ordre", "categorie__nom")
    )
    return [_delay_row(row["categorie__nom"], row) for row in rows]


def delays_by_service(reports, p):
    """Median handling time and target per service (a team, never a person)."""
    rows = (
        with_delays(reports)
        .values("service_id", "service__nom")
        .annotate(**_delay_aggregates(p))
        .filter(resolus__gt=0)
        .order_by(F("service__nom").asc(nulls_last=True))
    )
    return [_delay_row(row["service__nom"] or NO_SERVICE, row) for row in rows]


def _delay_row(nom, row):
    return {
        "nom": nom,
        "resolus": row["resolus"],
        "median_jours": row["median_jours"],
        "cible_jours": row["cible_jours"],
        "dans_delai": row["dans_delai"],
        "avec_cible": row["avec_cible"],
        "part_dans_delai": _share(row["dans_delai"], row["avec_cible"]),
    }


def by_commune(reports, p):
    """One row per commune with activity: filed, open now, resolved and on-time share."""
    rows = (
        with_delays(reports)
        .values("commune__insee", "commune__nom")
        .annotate(
            deposes=Count("pk", filter=Q(created_at__gte=p.since)),
            ouverts=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            **_delay_aggregates(p),
        )
        .filter(Q(deposes__gt=0) | Q(ouverts__gt=0) | Q(resolus__gt=0))
        .order_by("-deposes", "commune__nom")
    )
    return [
        {
            "insee": row["commune__insee"],
            "nom": row["commune__nom"],
            "deposes": row["deposes"],
            "ouverts": row["ouverts"],
            "resolus": row["resolus"],
            "median_jours": row["median_jours"],
            "part_dans_delai": _share(row["dans_delai"], row["avec_cible"]),
        }
        for row in rows
    ]


def status_counts_by_commune(reports):
    """Open and resolved reports per commune: the public map's textual alternative."""
    rows = (
        reports.filter(status__in=[*OPEN_STATUSES, *RESOLVED_STATUSES])
        .values("commune__insee", "commune__nom")
        .annotate(
            ouverts=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            resolus=Count("pk", filter=Q(status__in=RESOLVED_STATUSES)),
        )
        .order_by("commune__nom")
    )
    return [
        {
            "insee": row["commune__insee"],
            "nom": row["commune__nom"],
            "ouverts": row["ouverts"],
            "resolus": row["resolus"],
            "total": row["ouverts"] + row["resolus"],
        }
        for row in rows
    ]
