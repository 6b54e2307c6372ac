"""Demo: the GASPAR base as Géorisques publishes it — one zip of dated CSVs, the 2025–2026 export.

- ``catnat_gaspar_<date>.csv`` (``id_gaspar; code_commune; …; date_modification``, dates with a time
  of day): decrees since 1982 for the real communes (Marseille whole, 13055), a few exact duplicate
  rows as the national file has, and Var communes (the file is national);
- ``pprn_gaspar_<date>.csv`` and ``pprt_gaspar_<date>.csv`` in upper case (``CODE PROCEDURE``, the
  third hazard code under a second « CODE RISQUE 2 »);
- ``ddrm_risq_gaspar_<date>.csv``, a table the portal does not import (listed in the summary).

Plausible, not official: floods and mudflows (« Inondations et/ou Coulées de Boue ») the most frequent
peril, clay shrink-swell after droughts (« Mouvements de terrain différentiels consécutifs à la
sécheresse… ») frequent since 2017, the November 1982 storm, rare landslides, waves on the coast and
one earthquake; PPRN for floods, landslides, forest fires and clay approved or prescribed in some
communes; PPRT around the étang de Berre, Fos and Martigues.
"""

import io
import random
import zipfile
from datetime import date, timedelta

from observatoire.territoires.models import Commune

SEED = 2026
EXPORT_DATE = "2026-09-21"
CATNAT_HEADER = (
    "id_gaspar;code_commune;libelle_commune;num_risque_jo;lib_risque_jo;date_debut;date_fin;"
    "date_signature_arrete;date_publication_jo;date_modification"
)
# The PPR tables' 59 columns, the third hazard code under a second « CODE RISQUE 2 ».
PPR_HEADER = (
    "CODE MODELE;LIBELLE MODELE;CODE PROCEDURE;LIBELLE PROCEDURE;LIBELLE ORGANISME;BASSIN RISQUE;"
    "BASSINS HYDROGRAPHIQUES;COURS EAU;CODE INSEE REGION;NOM REGION;CODE INSEE DEPARTEMENT;"
    "NOM DEPARTEMENT;CODE INSEE COMMUNE;NOM COMMUNE;CODE RISQUE 1;LIBELLE RISQUE 1;CODE RISQUE 2;"
    "LIBELLE RISQUE 2;CODE RISQUE 2;LIBELLE RISQUE 3;PROCEDURE REVISANTE;CODES REVISES;PROCEDURE REVISEE;"
    "CODES REVISANTS;PROGRAMMATION_DEBUT;PROGRAMMATION_FIN;MONTAGE_DEBUT;MONTAGE_FIN;PRESCRIPTION;"
    "ETUDES_HYDR_DEBUT;ETUDES_HYDR_FIN;CARTE_ALEAS_DEBUT;CARTE_ALEAS_FIN;CARTE_ENJEUX_DEBUT;CARTE_ENJEUX_FIN;"
    "ZONAGE_REGL_DEBUT;ZONAGE_REGL_FIN;REG_ET_NOTE_PRES_DEBUT;REG_ET_NOTE_PRES_FIN;CONCERTATION_DEBUT;"
    "CONCERTATION_FIN;CONSULTATION_DEBUT;CONSULTATION_FIN;CONSULT_SERV_DEBUT;CONSULT_SERV_FIN;"
    "ENQUETE_PUBL_DEBUT;ENQUETE_PUBL_FIN;ANNEX_PLU;PROROGATION;APPLIC_ANTIC;DEPRESCRIPTION;APPROBATION;"
    "ANNULATION;ABROGATION;LIBELLE ETAT;DATE ETAT;LIBELLE SOUS-ETAT;DATE SOUS-ETAT;DATE DERNIERE MISE A JOUR"
)
PPR_COLUMNS = PPR_HEADER.split(";")
FLOOD = ("ICB", "Inondations et/ou Coulées de Boue")
CLAY = (
    "SEC",
    "Mouvements de terrain différentiels consécutifs à la sécheresse et à la réhydratation des sols",
)
LANDSLIDE = ("MVT", "Mouvement de Terrain")
STORM = ("TMP", "Tempête")
WAVES = ("VAG", "Chocs Mécaniques liés à l'action des Vagues")
QUAKE = ("SIS", "Séisme")
COAST = {"13055", "13028", "13022", "13021", "13035", "13056", "13104", "13119", "13077", "13039", "13026"}
OUTSIDE = [("83137", "Toulon"), ("83050", "Draguignan"), ("83069", "Hyères")]
REGION = ["93", "PROVENCE-ALPES-COTE D'AZUR", "13", "BOUCHES-DU-RHONE"]
DDTM = "Direction départementale des territoires et de la mer"
DREAL = "Direction régionale de l'environnement, de l'aménagement et du logement"
NATURAL = ["10", "Risque naturel"]
# (model, model label, hazard 2, hazard 3, share of communes)
PPRN_KINDS = [
    ("PPRN-I", "Inondation", ("11", "Inondation"),
     ("110", "Inondation - Par une crue à débordement lent de cours d'eau"), 0.22),
    ("PPRN-Mvt", "Mouvement de terrain", ("12", "Mouvement de terrain"),
     ("126", "Mouvement de terrain - Tassements différentiels"), 0.35),
    ("PPRN-Mvt", "Mouvement de terrain", ("12", "Mouvement de terrain"),
     ("123", "Mouvement de terrain - Glissement de terrain"), 0.06),
    ("PPRN-IF", "Incendie de Forêt", ("16", "Feu de forêt"), ("160", "Feu de forêt"), 0.08),
]  # fmt: skip
PPRT_PLANS = [  # (code, label, communes, prescription, approbation or None)
    ("13DREAL20090004", "PPRT plateforme pétrochimique de Berre-l'Étang", ["13014", "13081"],
     date(2009, 6, 29), date(2013, 11, 20)),
    ("13DREAL20090007", "PPRT raffinerie de Lavéra", ["13056"], date(2009, 11, 9), date(2016, 5, 4)),
    ("13DREAL20100011", "PPRT zone industrielle de Fos-sur-Mer Caban-Tonkin", ["13039", "13047", "13077"],
     date(2010, 3, 15), date(2016, 7, 22)),
    ("13DREAL20100015", "PPRT raffinerie de La Mède", ["13026", "13056"], date(2010, 7, 5),
     date(2017, 2, 10)),
    ("13DREAL20110002", "PPRT dépôt pétrolier de Fos-sur-Mer", ["13039"], date(2011, 4, 18), None),
    ("13DREAL20120003", "PPRT Arkema Saint-Menet", ["13055"], date(2012, 2, 1), date(2015, 9, 30)),
]  # fmt: skip


def _stamp(day, rng):
    """A date as the 2025–2026 export writes it: with a time of day (midnight, or 02:00 for some rows)."""
    return f"{day.isoformat()} {rng.choice(['00:00:00', '02:00:00'])}"


def _decrees(rng, communes):
    """[(code, peril, start, end, signed, published, [commune codes])] from 1982 to 2025."""
    codes = [c.insee for c in communes]
    coast = [c for c in codes if c in COAST]
    events = [(STORM, date(1982, 11, 6), 4, coast + rng.sample(codes, 12))]
    for year in range(1982, 2026):
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            start = date(year, rng.choice([1, 9, 9, 10, 10, 11, 12]), rng.randint(1, 28))
            events.append((FLOOD, start, rng.randint(1, 3), rng.sample(codes, rng.randint(2, 22))))
        drought_odds = 0.85 if year >= 2017 else (0.35 if year in (1989, 1990, 2003, 2007, 2012) else 0.0)
        if rng.random() < drought_odds:
            events.append((CLAY, date(year, 1, 1), 364, rng.sample(codes, rng.randint(5, 30))))
        if rng.random() < 0.2:
            events.append(
                (LANDSLIDE, date(year, rng.randint(1, 12), rng.randint(1, 28)), 1, rng.sample(codes, 2))
            )
        if coast and rng.random() < 0.06:
            events.append((WAVES, date(year, 12, rng.randint(1, 28)), 2, rng.sample(coast, 3)))
    events.append((QUAKE, date(1984, 2, 19), 0, rng.sample(codes, 1)))
    reached = {code for *_, places in events for code in places}
    flood_events = [event for event in events if event[0] == FLOOD]
    for code in codes:
        if code not in reached:  # every commune has had at least one flood decree
            rng.choice(flood_events)[3].append(code)
    decrees = []
    for number, (peril, start, days, places) in enumerate(sorted(events, key=lambda e: e[1]), start=1):
        end = start + timedelta(days=days)
        signed = end + timedelta(days=rng.randint(40, 300))
        published = signed + timedelta(days=rng.randint(3, 30))
        code = f"INTE{published.year % 100:02d}{number:05d}A"
        decrees.append((code, peril, start, end, signed, published, sorted(set(places))))
    return decrees


def catnat_csv(rng, communes):
    names = {c.insee: c.nom for c in communes} | dict(OUTSIDE)
    lines = [CATNAT_HEADER]
    for code, (num, label), start, end, signed, published, places in _decrees(rng, communes):
        if rng.random() < 0.15:
            places = [*places, rng.choice(OUTSIDE)[0]]
        updated = f"{max(published, date(2022, 5, 24)).isoformat()} 02:00:00.000"
        for place in places:
            stamps = [_stamp(day, rng) for day in (start, end, signed, published)]
            line = ";".join([code, place, names[place], num, label, *stamps, updated])
            lines.append(line)
            if rng.random() < 0.01:
                lines.append(line)  # the national file repeats some rows exactly
    return "\r\n".join(lines) + "\r\n"


def _ppr_line(model, model_label, code, label, organisme, commune, hazards, dates, state):
    row = dict.fromkeys(range(len(PPR_COLUMNS)), "")
    values = [model, f"Plan de Prévention des Risques {model_label}", code, label, organisme, "", "", "",
              *REGION, commune.insee, commune.nom, *hazards, "FAUX", "", "FAUX", ""]  # fmt: skip
    row.update(enumerate(values))
    for name, day in dates.items():
        row[PPR_COLUMNS.index(name)] = day.isoformat() + (" 00:00:00" if name == "APPROBATION" else "")
    etat, sous_etat, day = state
    for name, value in (
        ("LIBELLE ETAT", etat),
        ("DATE ETAT", day),
        ("LIBELLE SOUS-ETAT", sous_etat),
        ("DATE SOUS-ETAT", day),
        ("DATE DERNIERE MISE A JOUR", date(2025, 3, 26).isoformat()),
    ):
        row[PPR_COLUMNS.index(name)] = value  # fmt: skip
    return ";".join(row[i] for i in range(len(PPR_COLUMNS)))


def pprn_csv(rng, communes):
    lines = [PPR_HEADER]
    number = 0
    for model, model_label, hazard2, hazard3, share in PPRN_KINDS:
        for commune in rng.sample(communes, max(1, round(len(communes) * share))):
            number += 1
            prescribed = date(rng.randint(1996, 2016), rng.randint(1, 12), rng.randint(1, 28))
            code = f"13DDTM{prescribed.year}{number:04d}"
            label = f"{model} - {hazard3[1].split(' - ')[-1]} [ {commune.nom} ]"
            dates = {"PRESCRIPTION": prescribed}
            if rng.random() < 0.75:
                approved = prescribed + timedelta(days=rng.randint(700, 3000))
                dates["APPROBATION"] = approved
                state = ("Opposable", "Approuvé", approved.isoformat())
            else:
                state = ("Prescrit", "Prescrit", prescribed.isoformat())
            hazards = [*NATURAL, *hazard2, *hazard3]
            lines.append(
                _ppr_line(model, f"Naturels {model_label}", code, label, DDTM, commune, hazards, dates, state)
            )
    return "\r\n".join(lines) + "\r\n"


def pprt_csv(communes):
    by_code = {c.insee: c for c in communes}
    lines = [PPR_HEADER]
    hazards = ["20", "Risque technologique", "21", "Risque industriel", "", ""]
    for code, label, places, prescribed, approved in PPRT_PLANS:
        dates = {"PRESCRIPTION": prescribed} | ({"APPROBATION": approved} if approved else {})
        state = ("Opposable", "Approuvé", approved.isoformat()) if approved else (
            "Prescrit", "Prescrit", prescribed.isoformat())  # fmt: skip
        for place in places:
            if place in by_code:
                lines.append(_ppr_line("PPRT", "Technologiques", code, label, DREAL, by_code[place], hazards,
                                       dates, state))  # fmt: skip
    return "\r\n".join(lines) + "\r\n"


def ddrm_csv(communes):
    lines = ["cod_commune;lib_commune;num_risque;lib_risque"]
    for commune in communes:
        lines.append(f"{commune.insee};{commune.nom};11;Inondation")
        lines.append(f"{commune.insee};{commune.nom};13;Séisme")
    return "\r\n".join(lines) + "\r\n"


def write_demo_files(folder):
    """Write the GASPAR zip for the territory's communes; [("gaspar", path)]."""
    rng = random.Random(SEED)  # noqa: S311 - seeded demo data
    communes = list(Commune.objects.filter(epci__isnull=False).order_by("insee"))
    members = {
        f"catnat_gaspar_{EXPORT_DATE}.csv": catnat_csv(rng, communes),
        f"pprn_gaspar_{EXPORT_DATE}.csv": pprn_csv(rng, communes),
        f"pprt_gaspar_{EXPORT_DATE}.csv": pprt_csv(communes),
        f"ddrm_risq_gaspar_{EXPORT_DATE}.csv": ddrm_csv(communes),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 9, 21, 6, 0, 0))  # fixed: the same bytes each time
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gaspar_{EXPORT_DATE}.zip"
    path.write_bytes(buffer.getvalue())
    return [("gaspar", path)]
