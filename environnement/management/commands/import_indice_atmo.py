from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe l'indice ATMO quotidien par commune au format national (arrêté du 10 juillet 2020 : "
        "date_ech, code_qual, lib_qual, type_zone, code_zone, code_no2…) : CSV (« , » ou « ; »), GeoJSON "
        "(FeatureCollection), tels quels ou zippés ; AtmoSud, Atmo Data, flux WFS/ArcGIS des AASQA."
    )
    kind = "indice_atmo"
