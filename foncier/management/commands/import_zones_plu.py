from foncier.gisements_commande import LayerImportCommand


class Command(LayerImportCommand):
    help = (
        "Importe les zones d'un PLU/PLUi (standard CNIG, couche zone_urba) : GeoJSON, GeoPackage, Shapefile."
    )
    kind = "zones_plu"
    default_layer = "zone_urba"
