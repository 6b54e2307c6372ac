"""The élus' dashboard of local taxation: rates and fiscal pressure of the communes for a year,
the metropolis' median, mean and base-weighted value, and each rate over the years.

It reads the fiscalité indicators (public, see ``indicateurs``) in one query, never one per
commune; the table on the page and its CSV/XLSX export are the same ``Table``.
"""

import statistics

from django.db.models import Q
from django.utils.text import slugify

from observatoire.indicateurs import charts
from observatoire.indicateurs.data import communes_of, metropole
from observatoire.indicateurs.exports import Table
from observatoire.indicateurs.formats import rounded_valeur
from observatoire.indicateurs.models import Indicateur, Valeur

# The columns of the table, in order: (indicator code, short heading).
COLONNES = [
    ("taux-tfb-commune", "TFB commune"),
    ("taux-tfb-groupement", "TFB groupement"),
    ("taux-tfnb", "TFNB"),
    ("taux-teom", "TEOM"),
    ("produit-fiscal-par-habitant", "Produit fiscal"),
]
TRIS = ["commune", *[code for code, _ in COLONNES]]


class Donnees:
    """Every value of the dashboard's indicators visible to ``user``, for the metropolis and its communes."""

    def __init__(self, user):
        self.epci = metropole()
        self.communes = communes_of(self.epci)
        visible = {i.code: i for i in Indicateur.objects.visible_to(user).filter(code__in=TRIS[1:])}
        self.colonnes = [(code, titre, visible[code]) for code, titre in COLONNES if code in visible]
        self.communal, self.metropolitain = {}, {}
        rows = Valeur.objects.filter(
            Q(commune__epci=self.epci) | Q(epci=self.epci), indicateur__in=[i for *_, i in self.colonnes]
        )
        for code, cid, year, valeur in rows.values_list(
            "indicateur__code", "commune_id", "millesime", "valeur"
        ):
            if cid:
                self.communal[(code, cid, year)] = valeur
            else:
                self.metropolitain[(code, year)] = valeur
        self.annees = sorted({year for _, _, year in self.communal}, reverse=True)

    def header(self, code, titre, indicateur):
        return f"{titre} ({indicateur.unite})"

    def statistiques(self, code, annee):
        known = [self.communal.get((code, cid, annee)) for cid, *_ in self.communes]
        known = [v for v in known if v is not None]
        return {
            "mediane": statistics.median(known) if known else None,
            "moyenne": statistics.fmean(known) if known else None,
        }

    def table(self, annee, tri="commune", ordre="asc"):
        """The table of the year: a row per commune sorted as asked, then median, mean and metropolis."""
        lignes = [
            [
                insee,
                nom,
                *(rounded_valeur(self.communal.get((code, cid, annee))) for code, *_ in self.colonnes),
            ]
            for cid, insee, nom in self.communes
        ]
        codes = [code for code, *_ in self.colonnes]
        if tri in codes:
            index = 2 + codes.index(tri)
            known = sorted((row for row in lignes if row[index] is not None), key=lambda row: row[index])
            missing = [row for row in lignes if row[index] is None]
            lignes = (known[::-1] if ordre == "desc" else known) + missing
        elif ordre == "desc":
            lignes = lignes[::-1]
        stats = [self.statistiques(code, annee) for code, *_ in self.colonnes]
        nom = self.epci.nom if self.epci else "Métropole"
        resume = [
            ["", "Médiane des communes", *(rounded_valeur(s["mediane"]) for s in stats)],
            ["", "Moyenne des communes", *(rounded_valeur(s["moyenne"]) for s in stats)],
            [
                self.epci.siren if self.epci else "",
                f"{nom} (taux moyens pondérés par les bases)",
                *(rounded_valeur(self.metropolitain.get((code, annee))) for code, *_ in self.colonnes),
            ],
        ]
        sources = sorted({i.source for *_, i in self.colonnes})
        return Table(
            title=f"Taux votés et produit fiscal par habitant des communes, {annee}",
            headers=["Code INSEE", "Commune", *(self.header(*c) for c in self.colonnes)],
            rows=lignes + resume,
            filename=f"fiscalite-communes-{annee}",
            notes=[("Année d'imposition", str(annee)), ("Sources", " ; ".join(sources))],
            number_columns=tuple(range(2, 2 + len(self.colonnes))),
        ), len(lignes)

    def series(self, code, commune=None):
        """[(name, [(year, value)])]: the metropolis, the communes' median and the chosen commune."""
        years = sorted(self.annees)
        metropole_points = [
            (y, self.metropolitain[(code, y)]) for y in years if (code, y) in self.metropolitain
        ]
        medianes = [(y, self.statistiques(code, y)["mediane"]) for y in years]
        series = [
            ("Métropole (moyenne pondérée)", metropole_points),
            ("Médiane des communes", [(y, v) for y, v in medianes if v is not None]),
        ]
        if commune:
            cid = commune[0]
            points = [
                (y, self.communal[(code, cid, y)])
                for y in years
                if self.communal.get((code, cid, y)) is not None
            ]
            series.append((commune[2], points))
        return [(name, points) for name, points in series if points]

    def evolutions(self, commune=None):
        """Per column: its figure (plotly), its table alternative and a file name for the PNG."""
        result = []
        for code, titre, indicateur in self.colonnes:
            series = self.series(code, commune)
            years = sorted({y for _, points in series for y, _ in points})
            by_name = [dict(points) for _, points in series]
            result.append(
                {
                    "code": code,
                    "titre": f"{titre} ({indicateur.unite})",
                    "libelle": indicateur.libelle,
                    "figure": charts.evolution(series, indicateur.unite),
                    "noms": [name for name, _ in series],
                    "lignes": [(y, [values.get(y) for values in by_name]) for y in years],
                    "fichier": slugify(f"fiscalite-{code}{'-' + commune[1] if commune else ''}"),
                }
            )
        return result
