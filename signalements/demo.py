"""Demo reporting set-up: category tree, services, per-commune activation and generated reports.

The activation varies as it does in real life: a few communes open everything, some open only
cleanliness, some are still in the agents-only phase, most have not joined yet.
"""

import random
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from observatoire.accounts.models import User
from observatoire.territoires.models import Commune

from . import grid
from .actifs.demo import load_demo_actifs
from .clusters import cell_size
from .enums import OPEN_STATUSES, Ouverture, RejectionReason, ServiceType, Status
from .models import Categorie, CategorieCommune, Historique, Service, Signalement
from .questions.demo import demo_answers, load_questions
from .reponses.demo import load_modeles_reponse
from .satisfaction.demo import generate_avis

TREE = [
    ("proprete", "Propreté", "Déchets, dépôts, salissures", "", [
        ("depot-sauvage", "Dépôt sauvage"), ("encombrants", "Encombrants abandonnés"),
        ("dejections", "Déjections"), ("tags", "Tags et graffitis"), ("corbeille-pleine", "Corbeille pleine"),
    ]),
    ("eclairage", "Éclairage public", "Lampadaire éteint ou allumé le jour", "Un câble à nu ou un candélabre tombé est un danger : appelez le 112.", [
        ("lampadaire-eteint", "Lampadaire éteint"), ("lampadaire-jour", "Allumé en plein jour"),
        ("armoire-ouverte", "Armoire électrique ouverte"),
    ]),
    ("voirie", "Voirie et trottoirs", "Nid-de-poule, trottoir abîmé", "", [
        ("nid-de-poule", "Nid-de-poule"), ("trottoir-degrade", "Trottoir dégradé"), ("affaissement", "Affaissement de chaussée"),
    ]),
    ("signalisation", "Signalisation et feux", "Panneau, marquage, feu tricolore", "Feu en panne à un carrefour dangereux : appelez le 17.", [
        ("feu-panne", "Feu tricolore en panne"), ("panneau-abime", "Panneau abîmé ou masqué"), ("marquage-efface", "Marquage effacé"),
    ]),
    ("mobilier", "Mobilier urbain", "Banc, potelet, abri, barrière", "", [
        ("banc", "Banc cassé"), ("potelet", "Potelet ou barrière arraché"), ("abri", "Abri voyageurs dégradé"),
    ]),
    ("espaces-verts", "Espaces verts et arbres", "Arbre dangereux, taille, arrosage", "", [
        ("arbre-dangereux", "Arbre ou branche dangereux"), ("elagage", "Taille nécessaire"), ("aire-de-jeux", "Aire de jeux abîmée"),
    ]),
    ("eau", "Eau et assainissement", "Avaloir bouché, tampon, fuite", "Une fuite importante sur la voie publique se signale d'abord à votre distributeur d'eau.", [
        ("avaloir", "Avaloir bouché"), ("tampon", "Tampon descellé"), ("fuite", "Fuite d'eau"),
    ]),
]  # fmt: skip

DESCRIPTIONS = {
    "proprete": ["Sacs et cartons déposés au pied des conteneurs.", "Un matelas et un canapé abandonnés.", "Tags sur la façade de l'école."],
    "eclairage": ["Le lampadaire devant le n° 12 ne s'allume plus depuis une semaine.", "Trois points lumineux éteints dans la rue."],
    "voirie": ["Trou profond sur la chaussée, dangereux pour les deux-roues.", "Dalles du trottoir soulevées par les racines."],
    "signalisation": ["Panneau stop tordu et à moitié masqué.", "Passage piéton presque effacé devant le collège."],
    "mobilier": ["Banc cassé dans le square.", "Potelet arraché au bord du trottoir."],
    "espaces-verts": ["Grosse branche menaçant de tomber sur le cheminement.", "Jeu pour enfants cassé."],
    "eau": ["Avaloir bouché : la rue est inondée à chaque pluie.", "Tampon qui bouge au passage des voitures."],
}  # fmt: skip

# Commune profiles: which categories open, and to whom.
FULL = {"proprete": "tous", "eclairage": "tous", "voirie": "tous", "espaces-verts": "tous",
        "signalisation": "agents", "mobilier": "agents"}  # fmt: skip
PROPRETE_ONLY = {"proprete": "tous"}
AGENTS_PHASE = {"proprete": "agents", "voirie": "agents", "eclairage": "agents"}
TWO = {"proprete": "tous", "eclairage": "tous", "voirie": "agents"}
PROFILES = {"13055": FULL, "13001": TWO, "13056": PROPRETE_ONLY, "13039": AGENTS_PHASE}
METROPOLITAN_CATEGORIES = {"proprete": "Direction de la propreté urbaine", "voirie": "Direction de la voirie"}
CLOSED_EXPLANATION = "Les services de la commune ne traitent pas encore cette catégorie en ligne."
ALTERNATIVE = "Vous pouvez écrire à la mairie ou vous rendre à l'accueil des services techniques."


def load_categories():
    for ordre, (code, nom, description, notice, children) in enumerate(TREE):
        parent, _ = Categorie.objects.update_or_create(
            code=code, defaults={"nom": nom, "description": description, "notice": notice, "ordre": ordre}
        )
        for child_ordre, (child_code, child_nom) in enumerate(children):
            Categorie.objects.update_or_create(
                code=child_code, defaults={"nom": child_nom, "parent": parent, "ordre": child_ordre}
            )


def _profiles(rng):
    """Named communes keep their profile; others get one at random (most none)."""
    result = {}
    for commune in Commune.objects.filter(epci__isnull=False).order_by("insee"):
        profile = PROFILES.get(commune.insee)
        if profile is None:
            profile = rng.choices([PROPRETE_ONLY, AGENTS_PHASE, TWO, {}], weights=[3, 2, 2, 8])[0]
        result[commune] = profile
    return result


def load_services_and_activation(rng):
    metropolitan = {
        code: Service.objects.get_or_create(
            nom=nom, commune=None, defaults={"type": ServiceType.METROPOLITAIN}
        )[0]
        for code, nom in METROPOLITAN_CATEGORIES.items()
    }
    categories = {c.code: c for c in Categorie.objects.filter(parent__isnull=True)}
    profiles = _profiles(rng)
    for commune, profile in profiles.items():
        if not profile:
            continue
        communal, _ = Service.objects.get_or_create(
            nom=f"Services techniques de {commune.nom}",
            commune=commune,
            defaults={
                "type": ServiceType.COMMUNAL,
                "email": f"services-techniques-{commune.insee}@demo.observatoire.local",
            },
        )
        for code, categorie in categories.items():
            ouverture = profile.get(code, Ouverture.FERMEE)
            CategorieCommune.objects.update_or_create(
                commune=commune,
                categorie=categorie,
                defaults={
                    "ouverture": ouverture,
                    "explication": CLOSED_EXPLANATION if ouverture == Ouverture.FERMEE else "",
                    "canal_alternatif": ALTERNATIVE if ouverture == Ouverture.FERMEE else "",
                    "delai_cible_jours": {"proprete": 3, "eclairage": 10, "voirie": 15}.get(code, 20),
                    "service": metropolitan.get(code, communal),
                },
            )
    return profiles


def _timeline(rng, created, now):
    """A plausible path through the workflow for a report of this age."""
    age_days = (now - created).days
    path = [Status.NOUVEAU]
    if age_days < 2 and rng.random() < 0.7:
        return path
    if rng.random() < 0.08:
        return [*path, Status.EN_ANALYSE, Status.REJETE]
    path += [Status.EN_ANALYSE, Status.TRANSMIS]
    if age_days < 5 and rng.random() < 0.5:
        return path
    path.append(Status.PRIS_EN_CHARGE)
    if rng.random() < 0.3:
        path.append(Status.PLANIFIE)
    if age_days < 12 and rng.random() < 0.5:
        return path
    path.append(Status.RESOLU)
    if age_days > 40:
        path.append(Status.CLOS)
    return path


def generate_reports(profiles, count, rng, now=None):
    """``count`` reports over the communes with open categories, weighted by population."""
    now = now or timezone.now()
    categories = {c.code: c for c in Categorie.objects.filter(parent__isnull=True)}
    subcategories = {}
    for child in Categorie.objects.filter(parent__isnull=False).select_related("parent"):
        subcategories.setdefault(child.parent.code, []).append(child)
    active = [(c, p) for c, p in profiles.items() if p]
    weights = [max(c.population, 1000) for c, _ in active]
    picks = rng.choices(active, weights=weights, k=count)
    per_commune = {}
    for commune, _ in picks:
        per_commune[commune] = per_commune.get(commune, 0) + 1
    points = _random_points(per_commune)
    services = {
        (row.commune_id, row.categorie_id): row.service_id
        for row in CategorieCommune.objects.filter(commune__in=per_commune.keys())
    }
    gestionnaire = User.objects.filter(groups__name="gestionnaire_signalements").first()
    reports, paths = [], []
    for commune, profile in picks:
        code = rng.choice(list(profile))
        created = now - timedelta(days=rng.random() ** 1.6 * 365, minutes=rng.randint(0, 600))
        path = _timeline(rng, created, now)
        report = Signalement(
            commune=commune,
            categorie=categories[code],
            sous_categorie=rng.choice(subcategories[code]) if len(path) > 2 else None,
            geom=points[commune].pop(),
            description=rng.choice(DESCRIPTIONS[code]),
            description_validee=len(path) > 2,
            status=path[-1],
            filed_by_agent=profile[code] == Ouverture.AGENTS,
            created_at=created,
            reponses=demo_answers(code, len(reports)),
            rejection_reason=RejectionReason.PAS_D_ACTION_POSSIBLE if path[-1] == Status.REJETE else "",
            service_id=services.get((commune.pk, categories[code].pk)) if Status.TRANSMIS in path else None,
        )
        reports.append(report)
        paths.append(path)
    with transaction.atomic():
        Signalement.objects.bulk_create(reports, batch_size=2000)
        history = []
        for report, path in zip(reports, paths, strict=True):
            at = report.created_at
            previous = ""
            for step in path:
                if step != Status.NOUVEAU:
                    at += timedelta(hours=rng.uniform(2, 24 * (6 if step == Status.RESOLU else 2)))
                    at = min(at, now)
                history.append(
                    Historique(
                        signalement=report, from_status=previous, to_status=step, at=at,
                        by=None if step in (Status.NOUVEAU, Status.PRIS_EN_CHARGE, Status.PLANIFIE, Status.RESOLU) else gestionnaire,
                        note="Signalement déposé." if step == Status.NOUVEAU else "",
                    )
                )  # fmt: skip
                previous = step
            report.resolved_at = at if Status.RESOLU in path else None
            report.closed_at = at if path[-1] not in OPEN_STATUSES and path[-1] != Status.RESOLU else None
        Historique.objects.bulk_create(history, batch_size=5000)
        Signalement.objects.bulk_update(reports, ["resolved_at", "closed_at"], batch_size=2000)
    return len(reports)


# Recurring trouble spots, so that the dashboards' hotspots show something: (commune, category,
# longitude, latitude, reports over the last 80 days).
HOTSPOTS = [
    ("13055", "proprete", 5.3812, 43.3072, 9),  # pied d'immeuble, Belle de Mai
    ("13055", "voirie", 5.4006, 43.2826, 6),  # chaussée dégradée, boulevard Baille
    ("13001", "eclairage", 5.4531, 43.5262, 5),  # rue mal éclairée, Aix centre
]


def generate_hotspots(rng, now=None):
    now = now or timezone.now()
    categories = {c.code: c for c in Categorie.objects.filter(parent__isnull=True)}
    reports = []
    for insee, code, lon, lat, count in HOTSPOTS:
        commune = Commune.objects.get(insee=insee)
        for _ in range(count):
            point = Point(lon + rng.uniform(-0.0004, 0.0004), lat + rng.uniform(-0.0003, 0.0003), srid=4326)
            point.transform(2154)
            reports.append(
                Signalement(
                    commune=commune,
                    categorie=categories[code],
                    geom=point,
                    description=rng.choice(DESCRIPTIONS[code]),
                    status=rng.choice([Status.NOUVEAU, Status.TRANSMIS, Status.RESOLU]),
                    created_at=now - timedelta(days=rng.uniform(1, 80)),
                )
            )
    Signalement.objects.bulk_create(reports)
    return len(reports)


def _random_points(per_commune):
    """Random points inside each commune, drawn by PostGIS (ST_GeneratePoints)."""
    points = {commune: [] for commune in per_commune}
    by_pk = {commune.pk: commune for commune in per_commune}
    with connection.cursor() as cursor:
        for commune, n in per_commune.items():
            cursor.execute(
                "SELECT ST_X(p.geom), ST_Y(p.geom), ST_SRID(p.geom) "
                "FROM territoires_commune c, ST_Dump(ST_GeneratePoints(c.geom, %s, 42)) p WHERE c.id = %s",
                [n, commune.pk],
            )
            points[by_pk[commune.pk]] = [Point(x, y, srid=srid) for x, y, srid in cursor.fetchall()]
    return points


def assign_demo_members():
    """Demo agents act in the services of their communes."""
    agent_aix = User.objects.filter(email__startswith="agent.aix@").first()
    if agent_aix:
        for service in Service.objects.filter(commune__insee="13001"):
            service.members.add(agent_aix)
    agent_metropole = User.objects.filter(email__startswith="agent.metropole@").first()
    if agent_metropole:
        for service in Service.objects.filter(type=ServiceType.METROPOLITAIN):
            service.members.add(agent_metropole)


def load_demo_signalements(count=3000, seed=2026):
    """Idempotent: the set-up is upserted; reports are generated only into an empty table."""
    rng = random.Random(seed)
    load_categories()
    load_questions()
    profiles = load_services_and_activation(rng)
    assign_demo_members()
    load_modeles_reponse()
    load_demo_actifs()
    if Signalement.objects.exists():
        return 0
    created = generate_reports(profiles, count, rng) + generate_hotspots(rng)
    grid.rebuild(cell_size)
    generate_avis(rng)
    return created
