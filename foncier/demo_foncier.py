"""Demo of the foncier observatory: files generated in the published formats, loaded through the
importers as a user with the real files would, then the indicators and the observatory's links."""

from django.conf import settings

from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Rubrique

from . import consommation, gisements, gisements_zonage
from .consommation_indicateurs import recompute
from .demo_consommation import write_consommation
from .demo_gisements import write_gisements, write_zone_urba
from .models import ConsommationEspace, Gisement, ZonePlu

# The gisements inventory is restricted: its map is meant for agents and partners, and its row
# gate lists it only to those the catalogue admits (roles or a valid grant).
CONTENUS = [
    (
        "gisements",
        TypeContenu.CARTE_DYNAMIQUE,
        "Carte des gisements fonciers et des zones à urbaniser",
        "/foncier/gisements/",
        "Dents creuses, friches, divisions parcellaires et extensions, avec les zones AU du PLUi.",
        Visibilite.PARTENAIRES,
    ),
    (
        "marches-fonciers",
        TypeContenu.CARTE_DYNAMIQUE,
        "Carte des ventes immobilières et foncières (DVF)",
        "/foncier/dvf/carte/",
        "Chaque vente à l'échelle de la rue, regroupées par carreau au-dessus ; réservée aux agents et élus.",
        Visibilite.PARTENAIRES,
    ),
    (
        "consommation-espace",
        TypeContenu.TABLEAU_DE_BORD,
        "Trajectoire ZAN : consommation d'espaces 2009–2022",
        "/foncier/zan/",
        "Consommation annuelle d'espaces naturels, agricoles et forestiers et enveloppe 2021–2031.",
        Visibilite.PUBLIC,
    ),
]


def load_demo_contenus_foncier():
    for rubrique, type_, titre, url, description, visibilite in CONTENUS:
        Contenu.objects.get_or_create(
            titre=titre,
            defaults={
                "rubrique": Rubrique.objects.get(observatoire__slug="foncier", slug=rubrique),
                "type": type_,
                "visibilite": visibilite,
                "url": url,
                "description": description,
            },
        )


def load_demo_foncier(folder=None):
    """Idempotent: each file is generated and imported once. Returns {what: rows imported}."""
    folder = folder or settings.BASE_DIR / "var" / "demo"
    done = {}
    if not ZonePlu.objects.exists():
        path = write_zone_urba(folder / "plui_zone_urba.gpkg")
        done["zones du PLUi"] = gisements_zonage.import_file(path).inserted
    if not Gisement.objects.exists():
        path = write_gisements(folder / "gisements_fonciers.geojson")
        done["gisements fonciers"] = gisements.import_file(path).inserted
    if not ConsommationEspace.objects.exists():
        path = write_consommation(folder / "cerema_conso_enaf_2009_2023.csv")
        with path.open(encoding="utf-8", newline="") as stream:
            done["consommations d'espace"] = consommation.import_file(stream).inserted
    recompute()
    load_demo_contenus_foncier()
    return done
