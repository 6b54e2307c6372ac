"""An indicator's values joined to the commune shapes, as GeoJSON (EPSG:4326), with class breaks."""

import json

from django.db import connection

from .classes import class_breaks

SIMPLIFY_METRES = 30


def communes_with_values(indicateur, millesime, epci_id, method, k):
    sql = """
        SELECT c.insee, c.nom, v.valeur,
               ST_AsGeoJSON(ST_Transform(ST_Multi(ST_SimplifyPreserveTopology(c.geom, %(tol)s)), 4326), 5)
        FROM territoires_commune c
        LEFT JOIN indicateurs_valeur v
               ON v.commune_id = c.id AND v.indicateur_id = %(indicateur)s AND v.millesime = %(millesime)s
        WHERE c.epci_id = %(epci)s
        ORDER BY c.nom
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"tol": SIMPLIFY_METRES, "indicateur": indicateur.pk, "millesime": millesime, "epci": epci_id},
        )
        rows = cursor.fetchall()
    breaks = class_breaks([row[2] for row in rows], method, k)
    features = [
        {
            "type": "Feature",
            "id": insee,
            "geometry": json.loads(geometry),
            "properties": {"insee": insee, "nom": nom, "valeur": valeur},
        }
        for insee, nom, valeur, geometry in rows
    ]
    return {
        "type": "FeatureCollection",
        "indicateur": {"code": indicateur.code, "libelle": indicateur.libelle, "unite": indicateur.unite},
        "millesime": millesime,
        "methode": method,
        "bornes": breaks,
        "features": features,
    }
