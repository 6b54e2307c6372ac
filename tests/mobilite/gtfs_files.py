"""Small GTFS feeds and INSEE files in the official formats, for the tests."""

import zipfile

from pyproj import Transformer

TO_3035 = Transformer.from_crs(4326, 3035, always_xy=True)
TO_4326 = Transformer.from_crs(3035, 4326, always_xy=True)

AIX = (5.4474, 43.5263)  # Cours Mirabeau
MARSEILLE = (5.3745, 43.2965)  # Vieux-Port
PARIS = (2.3522, 48.8566)

AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nA,Réseau test,https://example.org,Europe/Paris\n"
STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type\n"
    f"AIX1,Rotonde,{AIX[1]},{AIX[0]},0\n"
    f"AIX2,Gare routière,{AIX[1] - 0.004},{AIX[0] - 0.004},\n"
    f"MRS1,Vieux-Port,{MARSEILLE[1]},{MARSEILLE[0]},0\n"
    f"PAR1,Paris Bercy,{PARIS[1]},{PARIS[0]},0\n"
    f"STA,Station Rotonde,{AIX[1]},{AIX[0]},1\n"
)
ROUTES = (
    "route_id,agency_id,route_short_name,route_long_name,route_type,route_color,route_text_color\n"
    "L1,A,1,Rotonde – Gare routière,3,FF0000,FFFFFF\n"
    "L50,A,50,Aix – Marseille,3,,\n"
    "LP,A,P,Aix – Paris,3,00ff00,\n"
)
# School term service SEM and holiday service VAC are both flagged for Tuesdays: only one runs
# on a given Tuesday (calendar_dates), the busiest Tuesday is a SEM day.
TRIPS = (
    "route_id,service_id,trip_id,direction_id\n"
    "L1,SEM,T1,0\nL1,SEM,T2,0\nL1,SEM,T3,1\nL1,VAC,TV1,0\n"
    "L50,SEM,T50,0\nL50,WE,T50WE,0\nLP,SEM,TP,0\n"
)
STOP_TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type\n"
    "T1,07:00:00,07:00:00,AIX1,1,0\nT1,07:10:00,07:10:00,AIX2,2,\n"
    "T2,08:00:00,08:00:00,AIX1,1,\nT2,08:10:00,08:10:00,AIX2,2,\n"
    "T3,23:50:00,23:50:00,AIX2,1,\nT3,24:05:00,24:05:00,AIX1,2,1\n"  # no boarding at the terminus
    "TV1,09:00:00,09:00:00,AIX1,1,\nTV1,09:10:00,09:10:00,AIX2,2,\n"
    "T50,06:00:00,06:00:00,AIX2,1,\nT50,,,AIX1,2,\nT50,07:00:00,07:00:00,MRS1,3,\n"
    "T50WE,10:00:00,10:00:00,AIX2,1,\nT50WE,11:00:00,11:00:00,MRS1,2,\n"
    "TP,06:00:00,06:00:00,AIX1,1,\nTP,14:00:00,14:00:00,PAR1,2,\n"
)
CALENDAR = (
    "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
    "SEM,1,1,1,1,1,0,0,20250106,20250228\n"
    "VAC,1,1,1,1,1,0,0,20250106,20250228\n"
    "WE,0,0,0,0,0,1,1,20250106,20250228\n"
)
# VAC only runs in the February break; SEM does not run then.
CALENDAR_DATES = (
    "service_id,date,exception_type\n"
    + "".join(f"VAC,202501{d:02d},2\n" for d in range(6, 32))
    + "".join(f"VAC,202502{d:02d},2\n" for d in range(1, 17))
    + "".join(f"SEM,202502{d:02d},2\n" for d in range(17, 29))
)

FEED = {
    "agency.txt": AGENCY, "stops.txt": STOPS, "routes.txt": ROUTES, "trips.txt": TRIPS,
    "stop_times.txt": STOP_TIMES, "calendar.txt": CALENDAR, "calendar_dates.txt": CALENDAR_DATES,
}  # fmt: skip


def write_zip(path, files=None, **changes):
    files = dict(FEED if files is None else files)
    for name, text in changes.items():
        name = name.replace("_txt", ".txt")
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return str(path)


def cell_at(lon, lat, dx=0, dy=0):
    """Official id of the 200 m cell containing (lon, lat) moved by dx, dy metres, and its centre."""
    x, y = TO_3035.transform(lon, lat)
    x0, y0 = int(x // 200 * 200 + dx), int(y // 200 * 200 + dy)
    return f"CRS3035RES200mN{y0}E{x0}", TO_4326.transform(x0 + 100, y0 + 100)
