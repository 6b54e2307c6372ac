"""ZAN (« zéro artificialisation nette ») trajectory from the yearly flows of land consumption.

Law of 22 August 2021 (Climat et résilience), first decade: consumption of natural, agricultural
and forest land between 2021 and 2031 at most half of that between 2011 and 2021. With the
Cerema's flows (``annee`` 2011 = 1 January 2011 → 1 January 2012):

- reference = flows 2011…2020 (``naf11art12`` … ``naf20art21``);
- allowance (enveloppe) 2021–2031 = 50 % of the reference;
- consumed = flows 2021…last year known; remaining = allowance − consumed;
- straight-line trajectory: allowance / 10 a year; the remaining budget spread over the years left.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from .models import ConsommationEspace

REFERENCE = range(2011, 2021)
PERIODE = range(2021, 2031)
REDUCTION = 0.5


@dataclass
class Trajectoire:
    flux: dict = field(default_factory=dict)  # year → ha
    reference_ha: float = 0.0
    enveloppe_ha: float = 0.0
    consomme_ha: float = 0.0
    restant_ha: float = 0.0
    derniere_annee: int | None = None
    reference_complete: bool = False

    @property
    def part_consommee(self):
        """Share of the 2021–2031 allowance already consumed (0.37 = 37 %), None without a reference."""
        return self.consomme_ha / self.enveloppe_ha if self.enveloppe_ha else None

    @property
    def moyenne_reference(self):
        return self.reference_ha / len(REFERENCE)

    @property
    def rythme_cible(self):
        """Yearly consumption of the straight line that spends the allowance evenly over 2021–2030."""
        return self.enveloppe_ha / len(PERIODE)

    @property
    def annees_restantes(self):
        last = (
            self.derniere_annee
            if self.derniere_annee and self.derniere_annee >= PERIODE[0]
            else PERIODE[0] - 1
        )
        return max(0, PERIODE[-1] - last)

    @property
    def rythme_restant(self):
        """Yearly consumption that would spend exactly what remains over the years left (None if none)."""
        years = self.annees_restantes
        return max(0.0, self.restant_ha) / years if years else None

    def cumul_cible(self, annee):
        """Allowance the straight line has spent by the end of ``annee``."""
        return self.enveloppe_ha * min(max(annee - PERIODE[0] + 1, 0), len(PERIODE)) / len(PERIODE)

    def cumul_consomme(self, annee):
        return sum(v for y, v in self.flux.items() if PERIODE[0] <= y <= annee)


def trajectoire(flux):
    """The ZAN figures from ``{year: ha}`` (pure: no database)."""
    flux = {int(y): float(v) for y, v in flux.items()}
    reference = sum(flux.get(y, 0.0) for y in REFERENCE)
    enveloppe = reference * REDUCTION
    consumed = sum(v for y, v in flux.items() if y in PERIODE)
    return Trajectoire(
        flux=dict(sorted(flux.items())),
        reference_ha=reference,
        enveloppe_ha=enveloppe,
        consomme_ha=consumed,
        restant_ha=enveloppe - consumed,
        derniere_annee=max(flux, default=None),
        reference_complete=all(y in flux for y in REFERENCE),
    )


def flux_of(commune=None, epci=None):
    """``{year: ha}`` for a commune, an EPCI (sum of its communes) or everything stored."""
    rows = ConsommationEspace.objects.all()
    if commune is not None:
        rows = rows.filter(commune=commune)
    elif epci is not None:
        rows = rows.filter(commune__epci=epci)
    return dict(rows.values("annee").annotate(total=Sum("total_ha")).values_list("annee", "total"))


def destinations_of(commune=None, epci=None):
    """Rows per year with the flows by destination, for the table of the page."""
    rows = ConsommationEspace.objects.all()
    if commune is not None:
        rows = rows.filter(commune=commune)
    elif epci is not None:
        rows = rows.filter(commune__epci=epci)
    fields = [
        "total_ha",
        "habitat_ha",
        "activite_ha",
        "mixte_ha",
        "routes_ha",
        "ferroviaire_ha",
        "inconnu_ha",
    ]
    sums = {name.removesuffix("_ha"): Sum(name) for name in fields}
    return list(rows.values("annee").annotate(**sums).order_by("annee"))
