from foncier.gisements_commande import LayerImportCommand


class Command(LayerImportCommand):
    help = "Importe l'inventaire des gisements fonciers : GeoJSON, GeoPackage, Shapefile (zippé ou non)."
    kind = "gisements"
