from foncier.gisements_commande import LayerImportCommand


class Command(LayerImportCommand):
    help = (
        "Importe les zones d'un PLU/PLUi (standard CNIG 2014 ou 2017, couche ZONE_URBA) : GeoJSON, "
        "GeoPackage, Shapefile, ou l'archive .zip du Géoportail de l'Urbanisme telle que téléchargée."
    )
    kind = "zones_plu"
    default_layer = "zone_urba"
