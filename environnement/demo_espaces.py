"""Demo: a few protected and natural areas over the real communes, in the INPN layers' layouts.

One GeoJSON per layer, named as the INPN names its downloads (type and millésime in the name, which
the importer reads): ZNIEFF I 2023 then 2024 (an older vintage first, replaced by the recent one),
ZNIEFF II, Natura 2000 SIC as the WFS answers (EPSG:3857, ``crs`` member), ZPS, parcs nationaux
(cœur and aire d'adhésion, ``CODE_R_ENP``), PNR and a réserve naturelle with the espaces protégés
fields. Places and identifiers are plausible (Sainte-Victoire, Calanques, Étoile, Côte Bleue, étang
de Berre, Lançon, Alpilles, Sainte-Baume); the outlines are drawn around a centre with a seeded
jitter, not the real perimeters.
"""

import json
import math
import random

from pyproj import Transformer

SEED = 2026
ZNIEFF1 = [  # (identifier, name, centre lon, lat, half-width, half-height in degrees)
    ("930020228", "Montagne Sainte-Victoire - versant sud et plateau du Cengle", 5.59, 43.525, 0.03, 0.01),
    ("930012449", "Calanques de Sormiou et de Morgiou", 5.42, 43.221, 0.02, 0.005),
    ("930020471", "Plateau de l'Arbois", 5.32, 43.48, 0.02, 0.01),
    ("930020172", "Étang de Bolmon et cordon du Jaï", 5.19, 43.40, 0.02, 0.008),
    ("930012403", "Chaîne de l'Étoile - crêtes", 5.46, 43.395, 0.04, 0.01),
]
ZNIEFF2 = [
    ("930012455", "Montagne Sainte-Victoire", 5.61, 43.525, 0.10, 0.025),
    (
        "930020457",
        "Massif des Calanques - Mont Puget, Marseilleveyre, Cap Canaille",
        5.455,
        43.232,
        0.09,
        0.016,
    ),
    ("930012402", "Chaîne de l'Étoile et massif du Garlaban", 5.52, 43.37, 0.08, 0.035),
    ("930020463", "Chaîne de la Nerthe - Côte Bleue", 5.18, 43.355, 0.07, 0.018),
]
SIC = [
    ("FR9301602", "Calanques et îles marseillaises - Cap Canaille et massif du Grand Caunet", 5.45, 43.222,
     0.08, 0.014),
    ("FR9301597", "Marais et zones humides liés à l'étang de Berre", 5.20, 43.43, 0.02, 0.01),
    ("FR9301605", "Montagne Sainte-Victoire", 5.60, 43.525, 0.08, 0.02),
]  # fmt: skip
ZPS = [
    ("FR9312005", "Salines de l'Étang de Berre", 5.17, 43.47, 0.02, 0.01),
    ("FR9310069", "Garrigues de Lançon et chaînes alentour", 5.15, 43.60, 0.06, 0.03),
    ("FR9310067", "Montagne Sainte-Victoire", 5.62, 43.53, 0.09, 0.025),
]
PARCS = [  # (identifier, CODE_R_ENP, name, …)
    ("FR3300010", "CPN", "Calanques", 5.45, 43.222, 0.08, 0.014),
    ("FR3400010", "AAPN", "Calanques", 5.47, 43.262, 0.10, 0.02),
]
PNR = [
    ("FR8000040", "PNR", "Alpilles", 5.04, 43.70, 0.06, 0.02),
    ("FR8000052", "PNR", "Sainte-Baume", 5.65, 43.30, 0.08, 0.04),
]
RESERVES = [("FR3600095", "RNN", "Sainte-Victoire", 5.57, 43.515, 0.012, 0.004)]


def outline(rng, lon, lat, half_width, half_height, vertices=12):
    """A closed ring around the centre, each vertex's distance jittered by up to 15 %."""
    ring = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices
        factor = 1 + rng.uniform(-0.15, 0.15)
        ring.append(
            [
                round(lon + half_width * factor * math.cos(angle), 5),
                round(lat + half_height * factor * math.sin(angle), 5),
            ]
        )
    return [*ring, ring[0]]


def feature(properties, ring):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write(path, features, **members):
    path.write_text(
        json.dumps({"type": "FeatureCollection", **members, "features": features}, ensure_ascii=False)
    )
    return path


def znieff(rng, zones, upper):
    """ZNIEFF fields as the INPN writes them: ``ID_MNHN``, ``NOM``, ``URL`` (lower case in its exports)."""
    keys = ("ID_MNHN", "NOM", "URL") if upper else ("id_mnhn", "nom", "url")
    return [
        feature(dict(zip(keys, (ident, nom, f"https://inpn.mnhn.fr/zone/znieff/{ident}"), strict=True)),
                outline(rng, *place))
        for ident, nom, *place in zones
    ]  # fmt: skip


def natura(rng, sites, layer, to_3857=None):
    features = []
    for number, (code, nom, *place) in enumerate(sites, start=1):
        ring = outline(rng, *place)
        if to_3857:
            ring = [[round(c, 2) for c in to_3857.transform(x, y)] for x, y in ring]
        features.append({"id": f"{layer}.{number}", **feature({"sitecode": code, "sitename": nom}, ring)})
    return features


def protected(rng, sites, year):
    """The espaces protégés layout (N_ENP_*_S_000): ID_LOCAL, ID_MNHN, CODE_R_ENP, NOM_SITE…"""
    return [
        feature(
            {
                "ID_LOCAL": f"{code}_{nom[:3].upper()}",
                "ID_MNHN": ident,
                "CODE_R_ENP": code,
                "NOM_SITE": nom,
                "URL_FICHE": f"https://inpn.mnhn.fr/espace/protege/{ident}",
                "SRC_ANNEE": str(year),
            },
            outline(rng, *place),
        )
        for ident, code, nom, *place in sites
    ]


def write_demo_files(folder):
    """(importer kind, path) of the demo layers, in the order they are to be imported."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 (seeded demo outlines, not secrets)
    to_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    wfs_crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    paths = [
        write(folder / "znieff1_2023.geojson", znieff(rng, ZNIEFF1[:3], upper=False), name="znieff1"),
        write(folder / "znieff1_2024.geojson", znieff(rng, ZNIEFF1, upper=False), name="znieff1"),
        write(folder / "znieff2_2024.geojson", znieff(rng, ZNIEFF2, upper=True)),
        write(folder / "sic_2024.geojson", natura(rng, SIC, "sic", to_3857), crs=wfs_crs),
        write(folder / "zps_2024.geojson", natura(rng, ZPS, "zps")),
        write(folder / "N_ENP_PN_S_000_2024.geojson", protected(rng, PARCS, 2024)),
        write(folder / "N_ENP_PNR_S_000_2024.geojson", protected(rng, PNR, 2024)),
        write(folder / "N_ENP_RNN_S_000_2024.geojson", protected(rng, RESERVES, 2024)),
    ]
    return [("espaces_naturels", path) for path in paths]
