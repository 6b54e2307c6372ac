"""Satisfaction block of the élus' dashboard: one aggregate query, grouped three ways at once.

Counted over the reports resolved in the period (a reopened report keeps its resolution date):
« invited » are those whose author had an e-mail (or who answered, even if the e-mail has since
been erased), « answers » those with an opinion. Grouped by category, service and commune, as the
report stood when rated, and NEVER by agent: the figures are about the service, not a person.
"""

from django.db import connection

from observatoire.territoires.models import Commune

from ..enums import RejectionReason
from ..models import Categorie, Service, Signalement
from .models import Avis

DIMENSIONS = ("categorie", "service", "commune")
NO_SERVICE = "Service non désigné"

# GROUPING SETS: the three breakdowns and the total in one scan of the resolved reports.
SQL = """
WITH lignes AS (
    SELECT COALESCE(a.categorie_id, s.categorie_id) AS categorie_id,
           COALESCE(a.service_id, s.service_id) AS service_id,
           COALESCE(a.commune_id, s.commune_id) AS commune_id,
           a.id AS avis_id, a.probleme_regle, a.note
    FROM {signalement} s
    LEFT JOIN {avis} a ON a.signalement_id = s.id
    WHERE s.resolved_at >= %(since)s
      AND (s.reporter_email <> '' OR a.id IS NOT NULL)
      AND s.rejection_reason <> %(spam)s
      {filters}
)
SELECT GROUPING(l.categorie_id) AS sans_categorie, GROUPING(l.service_id) AS sans_service,
       GROUPING(l.commune_id) AS sans_commune,
       l.categorie_id, l.service_id, l.commune_id,
       MIN(c.nom) AS categorie_nom, MIN(c.ordre) AS categorie_ordre, MIN(sv.nom) AS service_nom,
       MIN(co.nom) AS commune_nom, MIN(co.insee) AS commune_insee,
       COUNT(*) AS invites, COUNT(l.avis_id) AS reponses,
       COUNT(*) FILTER (WHERE l.probleme_regle) AS regles,
       COUNT(l.note) AS notes, AVG(l.note)::double precision AS note_moyenne
FROM lignes l
LEFT JOIN {categorie} c ON c.id = l.categorie_id
LEFT JOIN {service} sv ON sv.id = l.service_id
LEFT JOIN {commune} co ON co.id = l.commune_id
GROUP BY GROUPING SETS ((l.categorie_id), (l.service_id), (l.commune_id), ())
"""


def _sql(commune, categorie):
    filters = []
    if commune is not None:
        filters.append("AND s.commune_id = %(commune)s")
    if categorie is not None:
        filters.append("AND s.categorie_id = %(categorie)s")
    return SQL.format(
        signalement=Signalement._meta.db_table,
        avis=Avis._meta.db_table,
        categorie=Categorie._meta.db_table,
        service=Service._meta.db_table,
        commune=Commune._meta.db_table,
        filters="\n      ".join(filters),
    )


def _share(part, whole):
    return part / whole if whole else None


def _row(nom, row, **extra):
    return {
        "nom": nom,
        "invites": row["invites"],
        "reponses": row["reponses"],
        "taux_reponse": _share(row["reponses"], row["invites"]),
        "regles": row["regles"],
        "part_regle": _share(row["regles"], row["reponses"]),
        "notes": row["notes"],
        "note_moyenne": row["note_moyenne"],
        **extra,
    }


def satisfaction(commune, categorie, p):
    """{"total", "categorie", "service", "commune"} for reports resolved since ``p.since``."""
    params = {
        "since": p.since,
        "spam": RejectionReason.SPAM.value,
        "commune": commune.pk if commune else None,
        "categorie": categorie.pk if categorie else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(commune, categorie), params)
        columns = [col.name for col in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    result = {"total": None, "categorie": [], "service": [], "commune": []}
    for row in rows:
        grouped = [not row[f"sans_{dim}"] for dim in DIMENSIONS]
        if not any(grouped):
            result["total"] = _row("Total", row) if row["invites"] else None
        elif grouped[0]:
            result["categorie"].append(_row(row["categorie_nom"], row, ordre=row["categorie_ordre"]))
        elif grouped[1]:
            result["service"].append(_row(row["service_nom"] or NO_SERVICE, row))
        else:
            result["commune"].append(_row(row["commune_nom"], row, insee=row["commune_insee"]))
    result["categorie"].sort(key=lambda r: (r["ordre"], r["nom"]))
    result["service"].sort(key=lambda r: (r["nom"] == NO_SERVICE, r["nom"]))
    result["commune"].sort(key=lambda r: r["nom"])
    return result


def dashboard_block(commune, categorie, p):
    """The dashboard's satisfaction section: the figures and, when there are answers, the chart."""
    from ..dashboard.charts import as_data
    from .charts import by_category

    data = satisfaction(commune, categorie, p)
    answered = [row for row in data["categorie"] if row["reponses"]]
    data["figure"] = as_data(by_category(answered)) if answered else None
    data["blocks"] = [
        {"titre": "Par catégorie", "entete": "Catégorie", "rows": data["categorie"]},
        {"titre": "Par service", "entete": "Service", "rows": data["service"]},
        *(
            [{"titre": "Par commune", "entete": "Commune", "rows": data["commune"]}]
            if commune is None
            else []
        ),
    ]
    return data
