"""Demo: a GTFS feed, 200 m cells, home-to-work flows and modes, in the official formats.

Generated deterministically under var/demo/ for the real communes, then loaded through the
importers exactly as a user with the real files would.
"""

import math
import random
import time

from django.conf import settings

from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Rubrique
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone

from . import demo_reseau
from .importers import CarreauxImporter, FluxImporter, GtfsImporter, ModesImporter
from .indicateurs import recompute
from .models import Carreau, Flux, ModesTransport, Reseau

CENSUS = 21  # base-cc-emploi-pop-active-2021, flux C21
# Workplaces and homes outside the metropolis, as the national files have them.
OUTSIDE = [("83137", "Toulon"), ("84007", "Avignon"), ("13004", "Arles"), ("75056", "Paris")]


def _places(communes):
    """[(official code, name, population, centre)]: communes, Marseille by arrondissement."""
    places = [(i, nom, pop, centre) for i, (nom, pop, _, centre) in communes.items() if i != "13055"]
    for zone in Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__insee="13055").order_by("code"):
        geom = demo_reseau.shapely.from_wkb(bytes(zone.geom.wkb))
        places.append((zone.code, zone.nom, zone.population or 0, geom.point_on_surface()))
    return places


def write_flux(path, communes, seed=2022):
    rng = random.Random(seed)
    places = _places(communes)
    lines = [f"CODGEO;LIBGEO;DCLT;L_DCLT;NBFLUX_C{CENSUS}_ACTOCC15P"]
    for code, nom, population, centre in places:
        workers = population * 0.38
        stay = 0.25 if code.startswith("132") else min(0.6, 0.2 + 0.08 * math.log10(max(population, 10)))
        lines.append(f"{code};{nom};{code};{nom};{workers * stay:.4f}")
        gravity = sorted(
            (
                (pop / (centre.distance(c) + 3000) ** 2, dest, name)
                for dest, name, pop, c in places
                if dest != code
            ),
            reverse=True,
        )[:12]
        total = sum(g for g, _, _ in gravity)
        for weight, dest, name in gravity:
            share = (1 - stay - 0.04) * weight / total * rng.uniform(0.8, 1.2)
            lines.append(f"{code};{nom};{dest};{name};{workers * share:.4f}")
        dest, name = OUTSIDE[rng.randrange(len(OUTSIDE))]
        lines.append(f"{code};{nom};{dest};{name};{workers * 0.04:.4f}")
    lines += [
        "83137;Toulon;13201;Marseille 1er Arrondissement;812.5",
        "13004;Arles;13103;Salon-de-Provence;640.2",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_modes(path, communes, seed=2021):
    rng = random.Random(seed)
    yy = CENSUS
    header = ["CODGEO", f"P{yy}_POP1564", f"P{yy}_ACTOCC15P", f"C{yy}_ACTOCC15P"]
    header += [f"C{yy}_ACTOCC15P_{m}" for m in ("PAS", "MAR", "VELO", "2ROUESMOT", "VOIT", "TCOM")]
    lines = [";".join(header)]
    rows = [(i, pop, geom.area / 1e6) for i, (_, pop, geom, _) in communes.items()] + [
        ("83137", 180_000, 42.8)
    ]
    for code, population, km2 in rows:
        urban = min(1.0, max(0.0, (math.log10(max(population / km2, 1)) - 2) / 1.6))
        shares = {
            "PAS": 0.04, "MAR": 0.03 + 0.09 * urban, "VELO": 0.01 + 0.02 * urban, "2ROUESMOT": 0.03,
            "TCOM": 0.02 + 0.26 * urban,
        }  # fmt: skip
        shares = {k: v * rng.uniform(0.85, 1.15) for k, v in shares.items()}
        shares["VOIT"] = 1 - sum(shares.values())
        workers = population * 0.38
        counts = [workers * shares[m] for m in ("PAS", "MAR", "VELO", "2ROUESMOT", "VOIT", "TCOM")]
        values = [population * 0.63, workers * 1.004, sum(counts), *counts]
        lines.append(";".join([code, *(f"{v:.5f}" for v in values)]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_contenus():
    specs = [
        ("offre-transport", "Réseau de transport en commun : arrêts et lignes", "/mobilite/reseau/",
         "Arrêts (taille selon le nombre de passages un jour de semaine) et tracé des lignes."),
        ("domicile-travail", "Flux domicile-travail entre communes", "/mobilite/flux/",
         "Principaux déplacements domicile-travail entre les communes de la métropole."),
    ]  # fmt: skip
    for rubrique, titre, url, description in specs:
        Contenu.objects.get_or_create(
            titre=titre,
            defaults={
                "rubrique": Rubrique.objects.get(observatoire__slug="mobilite", slug=rubrique),
                "type": TypeContenu.CARTE_DYNAMIQUE,
                "visibilite": Visibilite.PUBLIC,
                "url": url,
                "description": description,
            },
        )


def load_demo_mobilite():
    """Idempotent: each file is generated and imported once. Returns {file: seconds} of the work done."""
    folder = settings.BASE_DIR / "var" / "demo"
    steps = [
        (Reseau, "gtfs_reseau_metropolitain.zip", demo_reseau.write_gtfs, GtfsImporter),
        (Carreau, "carreaux_200m_met.csv", demo_reseau.write_cells, CarreauxImporter),
        (Flux, f"base-flux-mobilite-domicile-lieu-travail-20{CENSUS}.csv", write_flux, FluxImporter),
        (ModesTransport, f"base-cc-emploi-pop-active-20{CENSUS}.csv", write_modes, ModesImporter),
    ]
    done, communes = {}, None
    for model, name, generate, importer in steps:
        if model.objects.exists():
            continue
        started = time.monotonic()
        communes = communes or demo_reseau.load_communes()
        importer().execute(generate(folder / name, communes))
        done[name] = round(time.monotonic() - started, 1)
    if done:
        recompute()
    load_contenus()
    return done
