"""How precisely a report's position leaves the portal: to about ten metres, in every public output.

The open dataset, the public API, the maps and Open311 all publish the same report ids, so a
finer position in any one of them would undo the rounding of the others. They all round here:
SQL through ``public_point_sql`` (PostGIS's ST_SnapToGrid), Python through ``public_coordinate``,
which repeats ST_SnapToGrid's arithmetic (round half to even of value / grid, times grid) and so
gives the very same number. Back-office views for authorised agents keep the full precision.
"""

# 0.0001° is 11 m of latitude and 8 m of longitude at 43.4° N.
PUBLIC_GRID_DEGREES = 0.0001
PUBLIC_DECIMALS = 4


def public_point_sql(wgs84_geometry):
    """SQL snapping a WGS84 geometry expression (written in our code) to the public grid."""
    return f"ST_SnapToGrid({wgs84_geometry}, {PUBLIC_GRID_DEGREES})"


def public_coordinate(degrees):
    """A WGS84 coordinate as published: on the grid, without float noise (43.2951, not 43.29510000000001)."""
    return round(round(degrees / PUBLIC_GRID_DEGREES) * PUBLIC_GRID_DEGREES, PUBLIC_DECIMALS)
