"""How a collection is cut into vector tiles, and the one tile matrix set we serve (WebMercatorQuad).

A collection with tiles carries a ``TileSettings`` (registry ``Collection.tiles``). From
``detail_zoom`` on, tiles hold the features themselves; below it, dense point layers would weigh
megabytes and draw as a smear, so they hold grid clusters instead: a count and the aggregates the
collection declares (SQL written in code, e.g. a median price). A collection may read its clusters
from a table it keeps pre-aggregated (``Aggregation.presummed``) at the zooms where a live GROUP BY
over every row would be too slow. Lines and polygons are simplified by a tolerance in tile pixels
that depends on the zoom, so a zone at zoom 9 does not carry the vertices drawn at zoom 17.
"""

import math
from dataclasses import dataclass, field

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
MVT = "application/vnd.mapbox-vector-tile"

EXTENT = 4096  # MVT integer grid of a tile
BUFFER = 64  # pixels of that grid kept around a tile, so strokes and labels join across tiles
TILE_PIXELS = 256  # the tile size of WebMercatorQuad's definition
ORIGIN = 20037508.3427892  # half the width of the EPSG:3857 world, in metres
MATRIX_ZOOMS = range(0, 25)
STANDARD_PIXEL_METRES = 0.00028  # OGC's "standardized rendering pixel size", for scale denominators


@dataclass(frozen=True)
class Aggregation:
    """Clusters served below ``TileSettings.detail_zoom``.

    ``properties``: ((name, SQL aggregate over the collection's rows), ...), e.g.
    ``("prix_m2_median", "percentile_cont(0.5) WITHIN GROUP (ORDER BY m.valeur / m.surface)")``.
    ``presummed(zoom)``: None, or a ``Presummed`` read instead of the live GROUP BY at that zoom.
    """

    cell_pixels: int = 64  # a cluster cell, in pixels of a 256-pixel tile: must divide 256
    properties: tuple = ()
    presummed: object = None

    def __post_init__(self):
        if self.cell_pixels <= 0 or TILE_PIXELS % self.cell_pixels:
            raise ValueError(f"cell_pixels doit diviser {TILE_PIXELS} (reçu {self.cell_pixels})")

    @property
    def cells_per_side(self):
        return TILE_PIXELS // self.cell_pixels


@dataclass(frozen=True)
class Presummed:
    """Clusters read from a pre-aggregated table at one zoom.

    ``sql`` selects ``geom`` (the cluster's published point, any SRID), ``count`` and the
    aggregation's property columns; it may refer to ``env.box`` (the tile in Lambert-93, with its
    buffer) and use ``params`` (named, prefixed so they meet none of ours). ``tables``: what it
    reads, so a rebuild of that table changes the tiles' version.
    """

    sql: str
    params: dict = field(default_factory=dict)
    tables: tuple = ()


@dataclass(frozen=True)
class TileSettings:
    min_zoom: int = 0
    max_zoom: int = 20
    detail_zoom: int | None = None  # None: features at every zoom
    aggregation: Aggregation | None = None
    # ((from zoom, tolerance in tile pixels), ...): lines and polygons only; 0 keeps every vertex.
    simplify: tuple = ()
    properties: tuple | None = None  # names among the collection's properties; None: all of them
    tables: tuple = ()  # tables the features are read from, besides those named in the SQL
    cache_seconds: int = 60  # Cache-Control max-age of public tiles: short, data changes

    def __post_init__(self):
        if not (MATRIX_ZOOMS.start <= self.min_zoom <= self.max_zoom < MATRIX_ZOOMS.stop):
            raise ValueError(f"zooms {self.min_zoom}–{self.max_zoom} hors de {MATRIX_ZOOMS}")
        if self.detail_zoom is not None and self.aggregation is None:
            raise ValueError("detail_zoom demande une agrégation pour les zooms inférieurs")

    def aggregated(self, zoom):
        return self.detail_zoom is not None and zoom < self.detail_zoom

    def tolerance_pixels(self, zoom):
        tolerance = 0
        for from_zoom, pixels in sorted(self.simplify):
            if zoom >= from_zoom:
                tolerance = pixels
        return tolerance


def tile_metres(zoom):
    """Width of a tile at ``zoom``, in EPSG:3857 metres."""
    return 2 * ORIGIN / 2**zoom


def pixel_metres(zoom):
    return tile_metres(zoom) / TILE_PIXELS


def tile_matrix(zoom):
    cell = pixel_metres(zoom)
    return {
        "id": str(zoom),
        "scaleDenominator": cell / STANDARD_PIXEL_METRES,
        "cellSize": cell,
        "cornerOfOrigin": "topLeft",
        "pointOfOrigin": [-ORIGIN, ORIGIN],
        "tileWidth": TILE_PIXELS,
        "tileHeight": TILE_PIXELS,
        "matrixWidth": 2**zoom,
        "matrixHeight": 2**zoom,
    }


def tile_matrix_set():
    """The OGC Two Dimensional Tile Matrix Set 2.0 document of WebMercatorQuad.

    With the same grid in TMS 1.0 members beside it: GDAL before 3.7 (Debian 12's 3.6, QGIS's
    OGC API reader) parses only those; 2.0 readers ignore members they do not know.
    """
    return {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": CRS_3857,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [tile_matrix(zoom) for zoom in MATRIX_ZOOMS],
        **_tms_1_0(),
    }


def _tms_1_0():
    return {
        "type": "TileMatrixSetType",
        "identifier": TMS_ID,
        "supportedCRS": CRS_3857,
        "boundingBox": {
            "type": "BoundingBoxType",
            "crs": CRS_3857,
            "lowerCorner": [-ORIGIN, -ORIGIN],
            "upperCorner": [ORIGIN, ORIGIN],
        },
        "tileMatrix": [
            {
                "type": "TileMatrixType",
                "identifier": str(zoom),
                "scaleDenominator": pixel_metres(zoom) / STANDARD_PIXEL_METRES,
                "topLeftCorner": [-ORIGIN, ORIGIN],
                "tileWidth": TILE_PIXELS,
                "tileHeight": TILE_PIXELS,
                "matrixWidth": 2**zoom,
                "matrixHeight": 2**zoom,
            }
            for zoom in MATRIX_ZOOMS
        ],
    }


def lonlat_to_tile(lon, lat, zoom):
    """(column, row) of the tile holding a WGS84 point at ``zoom``."""
    n = 2**zoom
    column = int((lon + 180) / 360 * n)
    latitude = math.radians(lat)
    row = int((1 - math.asinh(math.tan(latitude)) / math.pi) / 2 * n)
    return min(max(column, 0), n - 1), min(max(row, 0), n - 1)


def limits(extent, min_zoom, max_zoom):
    """``tileMatrixSetLimits``: the tiles covering ``extent`` (west, south, east, north) per zoom."""
    west, south, east, north = extent
    rows = []
    for zoom in range(min_zoom, max_zoom + 1):
        min_col, min_row = lonlat_to_tile(west, north, zoom)
        max_col, max_row = lonlat_to_tile(east, south, zoom)
        rows.append(
            {
                "tileMatrix": str(zoom),
                "minTileRow": min_row,
                "maxTileRow": max_row,
                "minTileCol": min_col,
                "maxTileCol": max_col,
            }
        )
    return rows
