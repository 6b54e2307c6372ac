"""Read-side queries of the mobility pages and API: GeoJSON built by PostGIS, top flows."""

import json

from django.db import connection
from django.db.models import Count, Max

from .models import Flux, Reseau

ROUTE_TYPES = {
    0: "Tramway", 1: "Métro", 2: "Train", 3: "Bus", 4: "Ferry", 5: "Tramway à câble",
    6: "Téléphérique", 7: "Funiculaire", 11: "Trolleybus", 12: "Monorail",
}  # fmt: skip


def network_version():
    """Changes whenever a feed is imported, replaced or deleted: part of the cache keys."""
    state = Reseau.objects.aggregate(n=Count("id"), last=Max("imported_at"))
    return f"{state['n']}-{state['last'].timestamp() if state['last'] else 0}"


def _collection(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row[-1]),
            "properties": dict(zip(names[:-1], row[:-1], strict=True)),
        }
        for row in rows
        if row[-1]
    ]
    return {"type": "FeatureCollection", "features": features}


def stops_geojson():
    return _collection(
        """
        SELECT a.stop_id AS id, a.nom, a.passages, a.lignes, c.nom AS commune, r.nom AS reseau,
               ST_AsGeoJSON(ST_Transform(a.geom, 4326), 6)
        FROM mobilite_arret a
        JOIN mobilite_reseau r ON r.id = a.reseau_id
        LEFT JOIN territoires_commune c ON c.id = a.commune_id
        ORDER BY a.passages DESC, a.id
        """
    )


def lines_geojson():
    return _collection(
        """
        SELECT l.route_id AS id, l.nom_court, l.nom_long, l.type, l.couleur, l.courses, r.nom AS reseau,
               ST_AsGeoJSON(ST_Transform(l.geom, 4326), 6)
        FROM mobilite_ligne l JOIN mobilite_reseau r ON r.id = l.reseau_id
        ORDER BY l.type DESC, l.nom_court
        """
    )


def flux_millesimes():
    return list(Flux.objects.order_by("-millesime").values_list("millesime", flat=True).distinct())


def top_flows(millesime, commune_id=None, limit=50):
    """Largest flows between two different communes of the territory, with their centres in WGS84."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT o.insee, o.nom, d.insee, d.nom, f.actifs, ST_AsGeoJSON(ST_Transform(
                       ST_MakeLine(ST_PointOnSurface(o.geom), ST_PointOnSurface(d.geom)), 4326), 5)
            FROM mobilite_flux f
            JOIN territoires_commune o ON o.id = f.commune_id
            JOIN territoires_commune d ON d.id = f.commune_travail_id
            WHERE f.millesime = %(millesime)s AND f.commune_travail_id <> f.commune_id
              AND (%(commune)s::integer IS NULL OR %(commune)s IN (f.commune_id, f.commune_travail_id))
            ORDER BY f.actifs DESC, o.insee, d.insee
            LIMIT %(limit)s
            """,
            {"millesime": millesime, "commune": commune_id, "limit": limit},
        )
        return [
            {"origine": {"insee": oi, "nom": on}, "destination": {"insee": di, "nom": dn},
             "actifs": round(actifs), "geometry": json.loads(geometry)}
            for oi, on, di, dn, actifs, geometry in cursor.fetchall()
        ]  # fmt: skip


def flows_geojson(flows, millesime):
    return {
        "type": "FeatureCollection",
        "millesime": millesime,
        "features": [
            {"type": "Feature", "geometry": f["geometry"],
             "properties": {k: f[k] for k in ("origine", "destination", "actifs")}}
            for f in flows
        ],
    }  # fmt: skip
